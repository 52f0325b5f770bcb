package io.ventra.gateway.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.MemoryBucketStore;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Hot reload: limits change in place under load, broken files change nothing, the files are watched. */
class ConfigReloadIntegrationTest {
    private static final String TOKEN = "test-admin-token-0123456789";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger reloadLogger = (Logger) LoggerFactory.getLogger(ConfigReloader.class);
    private ScriptedUpstream upstream;
    private ConfigFiles files;
    private GatewayServer server;
    private ConfigReloader reloader;

    @BeforeEach
    void start() {
        logs.start();
        reloadLogger.addAppender(logs);
        upstream = ScriptedUpstream.start();
        files = ConfigFiles.in(dir);
        for (int i = 0; i < 8; i++) {
            files.key("free-key-" + i, "free-" + i, "free");
            files.key("ent-key-" + i, "ent-" + i, "enterprise");
        }
        files.write(GatewayFixture.DEFAULT_YAML, upstream.port());
        server = GatewayServer.start(files.load(), new MemoryBucketStore(NanoClock.SYSTEM, 1000));
        server.adminToken(TOKEN);
        // Not watching, so that each test decides when a reload happens; the watch test starts its own.
        reloader = ConfigReloader.start(server, files.config(), ConfigLoader.withEnvironment(name -> null), false);
    }

    @AfterEach
    void stop() throws IOException {
        reloadLogger.detachAppender(logs);
        server.stop(Duration.ofSeconds(1));
        upstream.close();
    }

    @Test
    void appliesNewLimitsUnderLoadWithoutFailingARequest() throws Exception {
        ExecutorService load = Executors.newFixedThreadPool(4);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger sent = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch warm = new CountDownLatch(40);
        for (int t = 0; t < 4; t++) {
            String key = "ent-key-" + t;
            load.execute(() -> {
                while (running.get()) {
                    try {
                        int status = get(key, "/api/other").statusCode();
                        sent.incrementAndGet();
                        if (status != 200) {
                            failures.add("status " + status);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                    warm.countDown();
                }
            });
        }
        assertThat(warm.await(10, TimeUnit.SECONDS)).isTrue();

        files.write(GatewayFixture.DEFAULT_YAML.replace("free: { limit: 30, period: 1m }",
                "free: { limit: 5, period: 1m }"), upstream.port());
        ReloadResult result = reloader.reload("test").get(5, TimeUnit.SECONDS);
        int sentAtReload = sent.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> sent.get() >= sentAtReload + 40);
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        List<Integer> burst = burst("free-key-1", 6);

        assertThat(failures).isEmpty();
        assertThat(result.applied()).isTrue();
        assertThat(result.changes()).containsExactly("plan 'free' changed: 30 per 1m (greedy) -> 5 per 1m (greedy)");
        assertThat(burst).containsExactly(200, 200, 200, 200, 200, 429);
        assertThat(messages()).anyMatch(m -> m.contains("Reloaded the configuration")
                && m.contains("plan 'free' changed: 30 per 1m (greedy) -> 5 per 1m (greedy)"));
    }

    @Test
    void keepsServingTheOldConfigWhenTheNewFileIsBroken() throws Exception {
        files.write(GatewayFixture.DEFAULT_YAML.replace("free: { limit: 30, period: 1m }",
                "free: { limt: 5, period: 1m }"), upstream.port());

        ReloadResult result = reloader.reload("test").get(5, TimeUnit.SECONDS);
        List<Integer> burst = burst("free-key-2", 31);

        assertThat(result.applied()).isFalse();
        assertThat(result.errors()).anyMatch(e -> e.startsWith("plans.free.limt"));
        assertThat(burst.subList(0, 30)).containsOnly(200);
        assertThat(burst.get(30)).isEqualTo(429);
        assertThat(logs.list).anyMatch(e -> e.getLevel().toString().equals("WARN")
                && e.getFormattedMessage().contains("still serving the previous one")
                && e.getFormattedMessage().contains("plans.free.limt"));
    }

    @Test
    void reloadsWhenTheConfigFileOrTheKeyFileChanges() {
        reloader.close();
        reloader = ConfigReloader.start(server, files.config(), ConfigLoader.withEnvironment(name -> null), true,
                Duration.ofMillis(100));

        files.write(GatewayFixture.DEFAULT_YAML.replace("pro: { limit: 120, period: 1m }",
                "pro: { limit: 60, period: 1m }"), upstream.port());
        await().atMost(Duration.ofSeconds(10)).until(() -> server.config().plans().get("pro").limit()
                .orElseThrow().limit() == 60);

        files.key("new-free-key", "newcomer", "free");
        await().atMost(Duration.ofSeconds(10)).until(() -> get("new-free-key", "/api/other").statusCode() == 200);

        assertThat(messages()).anyMatch(m -> m.contains("(file change)") && m.contains("API keys: 1 added"));
    }

    @Test
    void keepsSettingsThatCannotChangeWhileRunning() throws Exception {
        files.write(GatewayFixture.DEFAULT_YAML.replace("server: { port: 0, admin-port: 0, shutdown-grace: 5s }",
                "server: { port: 18080, admin-port: 0, shutdown-grace: 7s }"), upstream.port());

        ReloadResult result = reloader.reload("test").get(5, TimeUnit.SECONDS);

        assertThat(result.applied()).isTrue();
        assertThat(result.warnings()).containsExactly("server.port: 18080 in the file needs a restart (keeping 0)");
        assertThat(server.config().server().port()).isZero();
        assertThat(server.config().server().shutdownGrace()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void reloadsOverTheAdminApiWithTheBearerToken() throws Exception {
        files.write(GatewayFixture.DEFAULT_YAML.replace("  sourcing: { path: /api/sourcing/**, limit: 3, period: 1m }",
                "  sourcing: { path: /api/sourcing/**, limit: 4, period: 1m }\n"
                        + "  exports: { path: /api/exports/**, limit: 2, period: 1h }"), upstream.port());

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.adminPort() + "/admin/reload")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"reloaded\"")
                .contains("endpoint quota 'sourcing' changed: 3 per 1m (greedy) on /api/sourcing/** -> "
                        + "4 per 1m (greedy) on /api/sourcing/**")
                .contains("endpoint quota 'exports' added: 2 per 1h (greedy) on /api/exports/**");
        assertThat(burst("free-key-3", 3).get(2)).isEqualTo(429);
    }

    @Test
    void answersTheAdminApiWithTheErrorsOfARejectedFile() throws Exception {
        files.write("plans: [", upstream.port());

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.adminPort() + "/admin/reload")).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"errors\"").contains("still served");
        assertThat(get("free-key-4", "/api/other").statusCode()).isEqualTo(200);
    }

    private List<Integer> burst(String key, int count) {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(get(key, "/api/" + (key.equals("free-key-3") ? "exports/x" : "other")).statusCode());
        }
        return statuses;
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    private HttpResponse<String> get(String key, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("X-API-Key", key).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
