package io.ventra.gateway.proxy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.BucketStores;
import io.ventra.gateway.core.testing.redis.RedisExtension;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Real gateways on real sockets over one real Redis: exact limits across instances (C17) and what clients and
 * operators see when Redis is down (C16): statuses, headers, bodies, health and logs, then recovery without a
 * restart.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class RedisStoreProxyIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final String OTHER = "/api/other/x";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<GatewayServer> servers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> outageLog = new ListAppender<>();
    private ScriptedUpstream upstream;

    @BeforeEach
    void start() {
        server().restart();
        upstream = ScriptedUpstream.start();
        outageLog.start();
        logger().addAppender(outageLog);
    }

    @AfterEach
    void stop() throws IOException {
        logger().detachAppender(outageLog);
        servers.forEach(s -> s.stop(Duration.ofSeconds(1)));
        upstream.close();
    }

    @Test
    void threeGatewaysOnOneRedisAdmitExactlyTheLimitOfConcurrentRequests() {
        // C17 over HTTP: 200 concurrent requests for one Free key, spread evenly over three instances
        GatewayConfig config = config("deny");
        for (int i = 0; i < 3; i++) {
            gateway(config);
        }
        long start = System.nanoTime();

        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(http.sendAsync(request(servers.get(i % 3), "free-v", OTHER),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<HttpResponse<String>> responses = futures.stream()
                .map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).collect(Collectors.toList());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        List<HttpResponse<String>> ok = responses.stream().filter(r -> r.statusCode() == 200).toList();
        // greedy refill gives one token back every 2 s, so a slow run may see the 31st
        assertThat(ok).hasSizeBetween(30, took.toSeconds() >= 2 ? 31 : 30);
        assertThat(ok).extracting(r -> Long.parseLong(r.headers().firstValue("X-RateLimit-Remaining").orElseThrow()))
                .doesNotHaveDuplicates()
                .containsAll(LongStream.rangeClosed(0, 29).boxed().toList());
        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 429);
    }

    @Test
    void redisDownWithDenyAnswers503WithRetryAfterLogsOnceAndRecoversWithoutARestart() {
        // C16, on-failure: deny
        GatewayServer gateway = gateway(config("deny"));
        assertThat(send(gateway, "free-t", OTHER).statusCode()).isEqualTo(200);

        server().stop();
        List<HttpResponse<String>> outage = new ArrayList<>();
        for (String key : List.of("free-t", "pro-t")) {
            for (int i = 0; i < 10; i++) {
                outage.add(send(gateway, key, OTHER));
            }
        }
        for (int i = 0; i < 10; i++) {
            outage.add(send(gateway, "free-w", "/api/discovery/search"));
        }

        assertThat(outage).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.headers().firstValue("X-RateLimit-Remaining")).isEmpty();
            assertThat(response.body()).contains("\"status\":503").doesNotContainIgnoringCase("redis")
                    .doesNotContainIgnoringCase("exception").doesNotContain("127.0.0.1");
        });
        assertThat(admin(gateway, "/health").body()).contains("\"store\":{\"type\":\"redis\",\"status\":\"DOWN\"");
        assertThat(warnings()).as("one WARN for the outage, not one per request").hasSize(1);
        assertThat(warnings().get(0).getFormattedMessage()).startsWith("Failed to reach the rate-limit store");

        server().restart();
        await("limiting again").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> send(gateway, "pro-z", OTHER).statusCode() == 200);
        List<Integer> burst = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            burst.add(send(gateway, "free-u", OTHER).statusCode());
        }

        assertThat(burst.subList(0, 30)).containsOnly(200);
        assertThat(burst.get(30)).isEqualTo(429);
        assertThat(admin(gateway, "/health").body()).contains("\"status\":\"UP\"");
        assertThat(outageLog.list).filteredOn(e -> e.getLevel() == Level.INFO)
                .singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("Reached the rate-limit store");
    }

    @Test
    void pausedRedisCostsRequestsAtMostTheTimeoutAndNeverBlocksHealth() {
        // C15 step 2 over HTTP: timeout 500 ms, so every answer must come within 1 s; /health at once
        GatewayServer gateway = gateway(config("deny"));
        assertThat(send(gateway, "free-t", OTHER).statusCode()).isEqualTo(200);

        server().pause(Duration.ofSeconds(3));
        List<CompletableFuture<HttpResponse<String>>> during = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            during.add(http.sendAsync(HttpRequest.newBuilder(request(gateway, "free-t", OTHER), (n, v) -> true)
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        HttpResponse<String> health = admin(gateway, "/health", Duration.ofMillis(500));

        assertThat(health.body()).contains("\"store\":{\"type\":\"redis\"");
        assertThat(during).allSatisfy(f -> {
            HttpResponse<String> response = f.join();
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("1");
        });
        assertThat(send(gateway, "ent-t", OTHER).statusCode()).as("unlimited: no store call").isEqualTo(200);
    }

    @Test
    void redisDownWithAllowPassesRequestsWithoutMadeUpRateLimitHeaders() {
        // C16, on-failure: allow
        GatewayServer gateway = gateway(config("allow"));
        server().stop();

        for (int i = 0; i < 10; i++) {
            HttpResponse<String> response = send(gateway, "free-t", OTHER);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().map().keySet())
                    .noneMatch(name -> name.toLowerCase(java.util.Locale.ROOT).contains("ratelimit"))
                    .doesNotContain("retry-after");
        }
        assertThat(upstream.requests()).hasSize(10);
        assertThat(warnings()).hasSize(1);
    }

    private GatewayConfig config(String onFailure) {
        ConfigFiles files = ConfigFiles.in(dir);
        for (String key : List.of("free-t", "free-u", "free-v", "free-w", "pro-t", "pro-z")) {
            files.key(key, key, key.startsWith("free") ? "free" : "pro");
        }
        files.key("ent-t", "ent-t", "enterprise");
        String store = "store: { type: redis, redis: { uri: \"" + server().uri() + "\", timeout: 500ms }, "
                + "on-failure: " + onFailure + " }\n";
        return files.write(GatewayFixture.DEFAULT_YAML + store, upstream.port()).load();
    }

    private GatewayServer gateway(GatewayConfig config) {
        GatewayServer gateway = GatewayServer.start(config,
                BucketStores.create(config.store(), NanoClock.SYSTEM, new StoreOutageLog()));
        servers.add(gateway);
        await("store connected").atMost(Duration.ofSeconds(10)).until(() -> gateway.store().health().name()
                .equals("UP"));
        return gateway;
    }

    private HttpResponse<String> send(GatewayServer gateway, String key, String path) {
        try {
            return http.send(request(gateway, key, path), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> admin(GatewayServer gateway, String path) {
        return admin(gateway, path, Duration.ofSeconds(5));
    }

    private HttpResponse<String> admin(GatewayServer gateway, String path, Duration timeout) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest request(GatewayServer gateway, String key, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(10)).header("X-API-Key", key).GET().build();
    }

    private List<ILoggingEvent> warnings() {
        return outageLog.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(StoreOutageLog.class);
    }

    private static RedisServerProcess server() {
        return REDIS.server();
    }
}
