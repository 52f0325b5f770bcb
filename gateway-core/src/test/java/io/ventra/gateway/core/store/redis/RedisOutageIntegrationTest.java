package io.ventra.gateway.core.store.redis;

import static io.ventra.gateway.core.store.redis.RedisGateway.DISCOVERY;
import static io.ventra.gateway.core.store.redis.RedisGateway.OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.Admission.Verdict;
import io.ventra.gateway.core.headers.Problem;
import io.ventra.gateway.core.headers.RateLimitHeaders;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.Decision.Outcome;
import io.ventra.gateway.core.store.StoreHealth;
import io.ventra.gateway.core.store.StoreListener;
import io.ventra.gateway.core.testing.ManualClock;
import io.ventra.gateway.core.testing.redis.RedisExtension;
import io.ventra.gateway.core.testing.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Redis hung (CLIENT PAUSE), stopped, and restarted empty, under load, without restarting the gateway: every
 * request is answered within the timeout per its failure mode, never 429 for our outage, the outage is reported
 * once, and limiting is exact again within seconds of recovery (C15, C16).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RedisOutageIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final Duration TIMEOUT = Duration.ofMillis(500);
    /** C15: every decision completes within the timeout plus 500 ms. */
    private static final Duration DECISION_BOUND = TIMEOUT.plusMillis(500);
    /** C15, C16: limiting is back within 5 s of Redis recovering. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final RecordingListener listener = new RecordingListener();
    private RedisGateway gateway;

    @BeforeEach
    void cleanRedis() {
        server().restart();
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @ParameterizedTest(name = "on-failure: {0}")
    @ValueSource(strings = {"allow", "deny"})
    void pausedRedisAnswersEveryRequestWithinTheTimeoutPerTheFailureMode(String mode) {
        // C15 steps 1 to 3
        gateway = start(mode);
        assertThat(gateway.admit("free-q", OTHER).decision().outcome()).isEqualTo(Outcome.ALLOWED);

        server().pause(Duration.ofSeconds(3));
        long start = System.nanoTime();
        List<CompletableFuture<Admission>> during = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            during.add(gateway.admitAsync("free-q", OTHER));
        }
        CompletableFuture<Admission> unlimited = gateway.admitAsync("ent-a", OTHER);

        assertThat(unlimited).as("no store call for an unlimited plan").isCompleted();
        long deadline = start + DECISION_BOUND.toNanos();
        for (CompletableFuture<Admission> admission : during) {
            Admission answer = admission.orTimeout(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .join();
            assertFailureResult(mode, answer);
        }
        assertThat(gateway.store().health()).isEqualTo(StoreHealth.DOWN);

        awaitRecovery();
        List<Admission> burst = gateway.admit("free-r", OTHER, 31);
        assertThat(burst.subList(0, 30)).allSatisfy(a -> assertThat(a.decision().outcome())
                .isEqualTo(Outcome.ALLOWED));
        assertThat(burst.get(30).verdict()).isEqualTo(Verdict.LIMITED);
        assertThat(listener.unavailable).hasValue(1);
        assertThat(listener.recovered).hasValue(1);
    }

    @Test
    void requestsAnsweredDuringAnOutageAreNeverReplayedIntoARestartedRedis() {
        // C15 step 4: the local fallback answers during the outage; Redis comes back empty and stays so
        gateway = start("local");
        server().stop();

        List<Admission> outage = gateway.admit("free-s", OTHER, 40);

        assertThat(outage.subList(0, 10)).allSatisfy(a -> {
            assertThat(a.decision().outcome()).isEqualTo(Outcome.ALLOWED);
            assertThat(a.decision().quota().limit().limit()).as("30 / 3 instances").isEqualTo(10);
        });
        assertThat(outage.subList(10, 40)).allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.LIMITED));
        server().restart();
        awaitRecovery();
        assertThat(server().keys()).doesNotContain("ventra:{free-s}:plan:free");

        Decision first = gateway.admit("free-s", OTHER).decision();

        assertThat(first.quota().limit().limit()).as("decided by Redis again").isEqualTo(30);
        assertThat(first.remaining()).isEqualTo(29);
    }

    @ParameterizedTest(name = "on-failure: {0}")
    @ValueSource(strings = {"allow", "deny"})
    void stoppedRedisNeverCausesA429OrAnErrorAndLimitingResumesWithoutARestart(String mode) {
        // C16
        gateway = start(mode);
        server().stop();

        List<Admission> outage = new ArrayList<>();
        outage.addAll(gateway.admit("free-t", OTHER, 10));
        outage.addAll(gateway.admit("pro-t", OTHER, 10));
        outage.addAll(gateway.admit("free-w", DISCOVERY, 10));

        assertThat(outage).allSatisfy(a -> assertFailureResult(mode, a));
        assertThat(gateway.store().health()).isEqualTo(StoreHealth.DOWN);
        assertThat(listener.unavailable).as("reported once, not per request").hasValue(1);
        assertThat(listener.causes).hasSize(1);

        server().restart();
        awaitRecovery();
        List<Admission> burst = gateway.admit("free-u", OTHER, 31);

        assertThat(burst.subList(0, 30)).extracting(a -> a.decision().remaining())
                .containsExactlyElementsOf(countdown());
        assertThat(burst.get(30).verdict()).isEqualTo(Verdict.LIMITED);
        assertThat(listener.recovered).hasValue(1);
        assertThat(gateway.store().health()).isEqualTo(StoreHealth.UP);
    }

    private void assertFailureResult(String mode, Admission admission) {
        Decision decision = admission.decision();
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimitHeaders.render(decision, headers::put);
        if (mode.equals("allow")) {
            assertThat(admission.verdict()).isEqualTo(Verdict.PASS);
            assertThat(decision.outcome()).isEqualTo(Outcome.FAILURE_ALLOWED);
            assertThat(headers).as("no made-up numbers").isEmpty();
            return;
        }
        assertThat(admission.verdict()).isEqualTo(Verdict.UNAVAILABLE);
        assertThat(decision.outcome()).isEqualTo(Outcome.FAILURE_DENIED);
        assertThat(headers).containsExactly(Map.entry(RateLimitHeaders.RETRY_AFTER, "1"));
        Problem problem = admission.problem();
        assertThat(problem.status()).isEqualTo(503);
        assertThat(new String(problem.toJson(), StandardCharsets.UTF_8))
                .doesNotContainIgnoringCase("redis")
                .doesNotContainIgnoringCase("exception")
                .doesNotContainIgnoringCase("lettuce")
                .doesNotContain("127.0.0.1");
    }

    /** Waits until a request (a throwaway account, so no test account is charged) is decided by Redis again. */
    private void awaitRecovery() {
        await("limiting decided by Redis again").atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> gateway.admit("pro-z", OTHER).decision().outcome() == Outcome.ALLOWED
                        && gateway.store().health() == StoreHealth.UP);
    }

    private RedisGateway start(String mode) {
        return RedisGateway.start(RedisGateway.config(dir, REDIS.topology(), TIMEOUT,
                "on-failure: " + mode + ", expected-instances: 3"), clock, listener);
    }

    private static RedisServerProcess server() {
        return REDIS.server();
    }

    private static List<Long> countdown() {
        List<Long> values = new ArrayList<>();
        for (long i = 29; i >= 0; i--) {
            values.add(i);
        }
        return values;
    }

    private static final class RecordingListener implements StoreListener {
        private final AtomicInteger unavailable = new AtomicInteger();
        private final AtomicInteger recovered = new AtomicInteger();
        private final List<String> causes = new CopyOnWriteArrayList<>();

        @Override
        public void onUnavailable(String store, Throwable cause) {
            unavailable.incrementAndGet();
            causes.add(cause.getMessage());
        }

        @Override
        public void onRecovered(String store, Duration downFor, long failedCalls) {
            recovered.incrementAndGet();
        }
    }
}
