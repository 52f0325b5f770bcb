package io.ventra.gateway.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.proxy.Version;
import io.ventra.gateway.proxy.testing.ConfigFiles;
import io.ventra.gateway.proxy.testing.GatewayFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code explain} command and {@code --version}, run in-process. */
class ExplainCommandTest {
    private static final String FREE_KEY = "explain-free-key-1";
    private static final String NO_QUOTA_KEY = "explain-ent-key-1";

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeConfig() {
        config = ConfigFiles.in(dir).key(FREE_KEY, "acme", "free").key(NO_QUOTA_KEY, "bigco", "enterprise")
                .write(GatewayFixture.DEFAULT_YAML.replace("enterprise: { unlimited: true }",
                        "enterprise: { unlimited: true, endpoint-quotas: false }"), 3000)
                .config();
    }

    @Test
    void explainsTheAccountPlanRouteUpstreamAndQuotas() {
        Result result = run("explain", "--config", config.toString(), "--key", FREE_KEY, "--path",
                "/api/discovery/search?q=x", "--method", "get");

        assertThat(result.code).isZero();
        assertThat(result.out).contains("Request:   GET /api/discovery/search?q=x")
                .contains("Account:   acme")
                .contains("Plan:      free (30 per 1m, greedy refill)")
                .contains("Route:     /api/**")
                .contains("Upstream:  http://127.0.0.1:3000")
                .contains("Quota:     endpoint quota 'discovery': 5 per 1m, greedy refill")
                .contains("Quota:     plan 'free': 30 per 1m, greedy refill")
                .doesNotContain(FREE_KEY);
    }

    @Test
    void explainsAnUnlimitedPlanThatSkipsEndpointQuotas() {
        Result result = run("explain", "--config", config.toString(), "--key", NO_QUOTA_KEY, "--path",
                "/api/sourcing/x");

        assertThat(result.code).isZero();
        assertThat(result.out).contains("Plan:      enterprise (unlimited; endpoint quotas do not apply)")
                .contains("Quotas:    none; the request is not rate limited")
                .contains("Skipped:   endpoint quota 'sourcing' covers this path but not this plan");
    }

    @Test
    void explainsRefusalsWithTheirStatusAndExitCodeOne() {
        Result unknownKey = run("explain", "--config", config.toString(), "--key", "nope", "--path", "/api/x");
        Result noRoute = run("explain", "--config", config.toString(), "--key", FREE_KEY, "--path", "/other");
        Result noKey = run("explain", "--config", config.toString(), "--path", "/api/x");

        assertThat(unknownKey.code).isEqualTo(1);
        assertThat(unknownKey.out).contains("401 Unauthorized: the key matches no entry");
        assertThat(noRoute.code).isEqualTo(1);
        assertThat(noRoute.out).contains("Route:     none").contains("404 Not Found");
        assertThat(noKey.out).contains("401 Unauthorized: no API key");
    }

    @Test
    void explainFailsOnAnInvalidConfig() throws Exception {
        java.nio.file.Files.writeString(config, "plans: { free: { limit: 30 } }\n");

        Result result = run("explain", "--config", config.toString(), "--path", "/api/x");

        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("plans.free.period: required");
    }

    @Test
    void versionNamesTheVersionAndCommit() {
        Result result = run("--version");

        assertThat(result.code).isZero();
        assertThat(result.out.trim()).isEqualTo("ventra-gateway " + Version.VERSION + " (" + Version.COMMIT + ")");
        assertThat(Version.VERSION).isNotEqualTo("unknown");
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
