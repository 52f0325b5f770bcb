package io.ventra.gateway.proxy.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.proxy.testing.ConfigFiles;
import io.ventra.gateway.proxy.testing.GatewayFixture;
import io.ventra.gateway.proxy.testing.ScriptedUpstream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code run} command in a child process: a config it accepts is enforced, and SIGHUP reloads it. */
class GatewayProcessIntegrationTest {
    private static final String FREE_KEY = "c20-free-key-0001";
    private static final String TOKEN = "process-admin-token-0123456789";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private ScriptedUpstream upstream;
    private ConfigFiles files;
    private GatewayProcess gateway;

    @BeforeEach
    void start() throws IOException {
        upstream = ScriptedUpstream.start();
        files = ConfigFiles.in(dir).key(FREE_KEY, "c20-dd", "free").key("c20-free-key-0002", "c20-ee", "free")
                .write(GatewayFixture.DEFAULT_YAML, upstream.port());
        gateway = GatewayProcess.start(files.config(), Map.of("VENTRA_ADMIN_TOKEN", TOKEN), "--no-watch");
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        upstream.close();
    }

    @Test
    void aValidConfigIsHealthyAndEnforced() throws Exception {
        // Case C20 (6): a config accepted at startup is a config being enforced.
        HttpResponse<String> health = admin("/health");
        List<Integer> burst = burst(FREE_KEY, 31);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"commit\"");
        assertThat(burst.subList(0, 30)).containsOnly(200);
        assertThat(burst.get(30)).isEqualTo(429);
        assertThat(gateway.output()).contains("Started Ventra Gateway");
    }

    @Test
    void reloadsOnSighupAndExitsZeroOnSigterm() throws Exception {
        files.write(GatewayFixture.DEFAULT_YAML.replace("free: { limit: 30, period: 1m }",
                "free: { limit: 3, period: 1m }"), upstream.port());

        // Sends SIGHUP to the child by its PID; it reloads, it does not stop.
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(gateway.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.output().contains("(SIGHUP)"));
        List<Integer> burst = burst("c20-free-key-0002", 4);
        gateway.terminate();

        assertThat(burst).containsExactly(200, 200, 200, 429);
        assertThat(gateway.output()).contains("plan 'free' changed: 30 per 1m (greedy) -> 3 per 1m (greedy)");
        assertThat(gateway.awaitExit(Duration.ofSeconds(15))).as(gateway.output()).isZero();
    }

    private List<Integer> burst(String key, int count) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                    + "/api/other")).header("X-API-Key", key).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }

    private HttpResponse<String> admin(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
