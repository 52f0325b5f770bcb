package io.ventra.gateway.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.core.identity.ApiKeys;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code validate} and {@code hash-key} commands, run in-process. */
class GatewayCliTest {
    @TempDir
    Path dir;

    @Test
    void validateAcceptsTheShippedExampleConfig() {
        Result result = run("validate", "--config", Path.of("..", "config", "gateway.yaml").toString());

        assertThat(result.code).isZero();
        assertThat(result.out).contains("is valid: 3 plans, 2 endpoint quotas, 1 routes, 3 API keys");
    }

    @Test
    void validateFailsWithEveryErrorAndItsYamlPath() throws Exception {
        // Case C20: a config that would not be enforced never starts.
        Files.writeString(dir.resolve("keys.yaml"), "keys: []\n");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, String.join("\n",
                "identity: { api-keys: { file: keys.yaml } }",
                "plans:",
                "  free: { limit: 30 }",
                "  pro: { limt: 120, period: 1m }",
                "  gold: { limit: -5, period: 1 minute }",
                "routes: [ { path: /**, upstream: http://127.0.0.1:3000 } ]",
                ""));

        Result result = run("validate", "--config", config.toString());

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("plans.free.period: required")
                .contains("plans.pro.limt: unknown setting")
                .contains("plans.gold.limit: -5")
                .contains("plans.gold.period: '1 minute'");
    }

    @Test
    void validateReportsDuplicatePlanNames() throws Exception {
        Files.writeString(dir.resolve("keys.yaml"), "keys: []\n");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, String.join("\n",
                "identity: { api-keys: { file: keys.yaml } }",
                "plans:",
                "  free: { limit: 30, period: 1m }",
                "  free: { limit: 60, period: 1m }",
                "routes: [ { path: /**, upstream: http://127.0.0.1:3000 } ]",
                ""));

        Result result = run("validate", "--config", config.toString());

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("plans").contains("Duplicate field 'free'");
    }

    @Test
    void validateChecksTheDrainDelay() throws Exception {
        Files.writeString(dir.resolve("keys.yaml"), "keys: []\n");
        Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, String.join("\n",
                "server: { drain-delay: 5 seconds }",
                "identity: { api-keys: { file: keys.yaml } }",
                "plans: { free: { limit: 30, period: 1m } }",
                "routes: [ { path: /**, upstream: http://127.0.0.1:3000 } ]",
                ""));

        Result result = run("validate", "--config", config.toString());

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("server.drain-delay: '5 seconds'");
    }

    @Test
    void hashKeyPrintsTheStoredForm() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("demo-free-key\n".getBytes(StandardCharsets.UTF_8)));
            Result result = run("hash-key");

            assertThat(result.code).isZero();
            assertThat(result.out.trim()).isEqualTo(ApiKeys.hash("demo-free-key"))
                    .isEqualTo("9f8cfdb17116bf0e2a44e071454f25594cb9b8737bf331e6a2f0b30550572f29");
        } finally {
            System.setIn(stdin);
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new GatewayCli());
        command.setOut(new PrintWriter(out));
        command.setErr(new PrintWriter(err));
        int code = command.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
    }
}
