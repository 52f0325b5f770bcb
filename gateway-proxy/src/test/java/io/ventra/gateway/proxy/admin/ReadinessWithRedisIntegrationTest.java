package io.ventra.gateway.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.BucketStores;
import io.ventra.gateway.core.store.StoreListener;
import io.ventra.gateway.core.testing.redis.RedisServerProcess;
import io.ventra.gateway.proxy.server.GatewayServer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness and store metrics with a real Redis that is up, stopped, or hung ({@code CLIENT PAUSE}). Every probe
 * must answer within its budget whatever Redis does; the store's failure mode decides whether down means
 * not ready.
 */
class ReadinessWithRedisIntegrationTest {
    private static final String KEY = "redis-free-key-01";
    private static final Duration BUDGET = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(BUDGET).build();
    private RedisServerProcess redis;
    private ScriptedUpstream upstream;
    private GatewayServer server;

    @BeforeEach
    void startRedis() {
        redis = RedisServerProcess.start();
        upstream = ScriptedUpstream.start();
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.stop(Duration.ofSeconds(1));
        }
        upstream.close();
        redis.close();
    }

    @Test
    void isReadyOnceRedisAnswers() throws Exception {
        start("deny");

        // Until the client has connected the store counts as down, and with deny that means not ready yet.
        await().atMost(Duration.ofSeconds(5)).until(() -> probe("/health/ready").statusCode() == 200);
        HttpResponse<String> ready = probe("/health/ready");
        JsonNode store = JSON.readTree(ready.body()).get("components").get("store");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(store.get("type").asText()).isEqualTo("redis");
        assertThat(store.get("status").asText()).isEqualTo("UP");
        assertThat(probe("/metrics").body()).contains("ventra_store_up 1.0");
    }

    @Test
    void answersWithinBudgetAndTurnsNotReadyWhenRedisHangsAndTheModeIsDeny() throws Exception {
        start("deny");
        await().atMost(Duration.ofSeconds(5)).until(() -> probe("/health/ready").statusCode() == 200);
        redis.pause(Duration.ofSeconds(20));

        HttpResponse<String> duringHang = probe("/health/ready");
        tripTheStore();

        await().atMost(Duration.ofSeconds(5)).until(() -> probe("/health/ready").statusCode() == 503);
        HttpResponse<String> ready = probe("/health/ready");
        assertThat(duringHang.statusCode()).isIn(200, 503);
        assertThat(JSON.readTree(ready.body()).get("components").get("store").get("status").asText())
                .isEqualTo("DOWN");
        assertThat(probe("/health/live").statusCode()).isEqualTo(200);
        String metrics = probe("/metrics").body();
        assertThat(metrics).contains("ventra_store_up 0.0").contains("ventra_store_circuit_open 1.0");
        assertThat(metrics).doesNotContain("ventra_store_errors_total 0.0");
    }

    @Test
    void staysReadyWhenRedisIsStoppedAndTheModeServesWithoutIt() throws Exception {
        start("local");
        redis.stop();
        tripTheStore();

        await().atMost(Duration.ofSeconds(5)).until(() -> JSON.readTree(probe("/health/ready").body())
                .get("components").get("store").get("status").asText().equals("DOWN"));
        HttpResponse<String> ready = probe("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("DEGRADED");
        assertThat(JSON.readTree(ready.body()).get("components").get("store").get("serving").asBoolean())
                .isTrue();
    }

    private void start(String onFailure) {
        String yaml = GatewayFixture.DEFAULT_YAML.replace("identity:", "store:\n  type: redis\n  on-failure: "
                + onFailure + "\n  redis: { uri: \"" + redis.uri() + "\", timeout: 200ms }\nidentity:");
        GatewayConfig config = ConfigFiles.in(dir).key(KEY, "redis-acct", "free").write(yaml, upstream.port())
                .load();
        server = GatewayServer.start(config, BucketStores.create(config.store(), NanoClock.SYSTEM,
                StoreListener.NONE));
    }

    /** Sends a few limited requests, so that the store's failures are seen and its circuit opens. */
    private void tripTheStore() throws Exception {
        for (int i = 0; i < 5; i++) {
            int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/api/other")).header("X-API-Key", KEY).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            assertThat(status).isIn(200, 503);
        }
    }

    /** Sends an admin request that must be answered within the budget; a slower answer fails the test. */
    private HttpResponse<String> probe(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .timeout(BUDGET).build(), HttpResponse.BodyHandlers.ofString());
    }
}
