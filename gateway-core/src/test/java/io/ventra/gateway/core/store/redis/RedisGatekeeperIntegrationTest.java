package io.ventra.gateway.core.store.redis;

import static io.ventra.gateway.core.store.redis.RedisGateway.DISCOVERY;
import static io.ventra.gateway.core.store.redis.RedisGateway.OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.Admission.Verdict;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.headers.RateLimitHeaders;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.store.Probe;
import io.ventra.gateway.core.store.StoreListener;
import io.ventra.gateway.core.testing.ManualClock;
import io.ventra.gateway.core.testing.redis.RedisExtension;
import io.ventra.gateway.core.testing.redis.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Redis store behind a gatekeeper, with Redis healthy: keys, expiry, reconfiguration, hot keys. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RedisGatekeeperIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeEach
    void cleanRedis() {
        server().restart();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : closeAfter) {
            closeable.close();
        }
    }

    @Test
    void keysOfOneAccountShareAHashTagAndExpireOnceTheBucketIsFullAgain() {
        RedisGateway gateway = gateway(redisConfig("on-failure: deny"));

        gateway.admit("free-k", OTHER);
        gateway.admit("free-k", DISCOVERY);

        assertThat(server().keys()).containsExactly("ventra:{free-k}:endpoint:discovery", "ventra:{free-k}:plan:free");
        // refill to full plus 1 s: Free lost 2 tokens (4 s), Discovery 1 (12 s)
        assertThat(pttl("ventra:{free-k}:plan:free")).isBetween(1L, 5_000L);
        assertThat(pttl("ventra:{free-k}:endpoint:discovery")).isBetween(5_001L, 13_000L);
    }

    @Test
    void aKeyThatExpiredWhileIdleComesBackAsAFullBucket() {
        // C09 on Redis: a short period so that the key really expires, on the wall clock
        RedisConnection connection = connection();
        RedisBucketStore store = new RedisBucketStore(connection, "ventra:", NanoClock.SYSTEM, true);
        Quota quick = new Quota(Quota.Scope.PLAN, new LimitConfig("quick", 30, Duration.ofSeconds(3),
                RefillMode.GREEDY));
        assertThat(consume(store, "idle", quick).remaining()).isEqualTo(29);
        String key = store.key("idle", quick);
        assertThat(server().keys()).containsExactly(key);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> server().dbSize() == 0);

        assertThat(consume(store, "idle", quick).remaining()).isEqualTo(29);
    }

    @Test
    void unlimitedPlansNeverTouchRedisEvenWhenItIsDown() {
        // C11 steps 1, 2 and 4
        RedisGateway gateway = gateway(redisConfig("on-failure: local"));

        List<Admission> up = gateway.admit("ent-a", OTHER, 500);

        assertThat(up).allSatisfy(a -> {
            assertThat(a.isPass()).isTrue();
            assertThat(a.decision().outcome()).isEqualTo(Decision.Outcome.UNLIMITED);
            assertThat(headers(a.decision())).isEmpty();
        });
        assertThat(server().dbSize()).isZero();
        List<Admission> discoveryUp = gateway.admit("ent-b", DISCOVERY, 10);

        server().stop();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Admission> admission = gateway.admitAsync("ent-a", OTHER);
            assertThat(admission).as("decided without any store call").isCompleted();
            assertThat(admission.join().isPass()).isTrue();
        }
        List<Admission> discoveryDown = gateway.admit("ent-c", DISCOVERY, 10);

        // Enterprise is held to endpoint quotas, the same with Redis up or down (local fallback, one instance)
        assertThat(discoveryUp).extracting(Admission::verdict).containsExactlyElementsOf(fiveThenLimited());
        assertThat(discoveryDown).extracting(Admission::verdict).containsExactlyElementsOf(fiveThenLimited());
    }

    @Test
    void unknownOrMissingKeysCreateNoRedisKeys() {
        // C14 step 2
        RedisGateway gateway = gateway(redisConfig("on-failure: deny"));

        for (String key : new String[] {null, "", "    ", "nonexistent-123"}) {
            for (int i = 0; i < 50; i++) {
                assertThat(gateway.admit(key, OTHER).verdict()).isEqualTo(Verdict.UNAUTHORIZED);
            }
        }

        assertThat(server().dbSize()).isZero();
        assertThat(gateway.admit("free-p", OTHER).decision().remaining()).isEqualTo(29);
    }

    @Test
    void limitsChangedInYamlApplyToExistingBucketsAndARestartNeverRefillsThem() {
        // First instance: Free 30/min; 10 requests leave 20
        RedisGateway first = gateway(redisConfig("on-failure: deny"));
        first.admit("free-c", OTHER, 10);
        clock.advance(Duration.ofSeconds(1));

        // Restarted with Free 10/min: the bucket keeps what it had, capped at 10 (AS_IS)
        RedisGateway smaller = gateway(withFreeLimit(10));
        Admission capped = smaller.admit("free-c", OTHER);
        assertThat(capped.decision().remaining()).isEqualTo(9);
        assertThat(capped.decision().quota().limit().limit()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(1));

        // Restarted again with Free 30/min: still 9-odd tokens, not a fresh 29
        RedisGateway restored = gateway(redisConfig("on-failure: deny"));
        assertThat(restored.admit("free-c", OTHER).decision().remaining()).isEqualTo(8);
        // An instance still running the old 10/min limit follows the newer shape stored in Redis
        assertThat(smaller.admit("free-c", OTHER).decision().remaining()).isEqualTo(7);
    }

    @Test
    void batchingKeepsAHotKeyToAFewRoundTrips() {
        // 500 concurrent requests for one key share a handful of compare-and-swap scripts when batched
        RedisConnection connection = connection();
        Quota big = new Quota(Quota.Scope.PLAN, new LimitConfig("big", 100_000, Duration.ofHours(1),
                RefillMode.GREEDY));
        RedisBucketStore batched = new RedisBucketStore(connection, "ventra:", clock, true);
        long before = evalCalls();

        List<CompletableFuture<Probe>> probes = concurrently(batched, "hot-1", big, 500);

        assertThat(probes).allSatisfy(p -> assertThat(p.orTimeout(30, TimeUnit.SECONDS).join().consumed()).isTrue());
        assertThat(evalCalls() - before).isLessThan(50);
        assertThat(consume(batched, "hot-1", big).remaining()).isEqualTo(100_000 - 501);
    }

    @Test
    void withoutBatchingEveryRequestOnAHotKeyNeedsItsOwnRoundTripsAndRetries() {
        // What batching saves: each request commits its own compare-and-swap, retrying when another won
        RedisConnection connection = connection();
        Quota big = new Quota(Quota.Scope.PLAN, new LimitConfig("big", 100_000, Duration.ofHours(1),
                RefillMode.GREEDY));
        RedisBucketStore unbatched = new RedisBucketStore(connection, "ventra:", clock, false);
        long before = evalCalls();

        List<CompletableFuture<Probe>> probes = concurrently(unbatched, "hot-2", big, 50);

        CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).handle((v, e) -> null)
                .orTimeout(30, TimeUnit.SECONDS).join();
        assertThat(evalCalls() - before).isGreaterThan(50);
    }

    private static List<CompletableFuture<Probe>> concurrently(RedisBucketStore store, String account, Quota quota,
            int requests) {
        List<CompletableFuture<Probe>> probes = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            probes.add(store.tryConsume(account, quota));
        }
        return probes;
    }

    private long evalCalls() {
        String stats = (String) server().command("INFO", "commandstats");
        return stats.lines().filter(line -> line.startsWith("cmdstat_eval:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("^cmdstat_eval:calls=(\\d+),.*", "$1"))).orElse(0L);
    }

    private GatewayConfig redisConfig(String storeSettings) {
        return RedisGateway.config(dir, REDIS.topology(), RedisTestSupport.RELAXED_TIMEOUT, storeSettings);
    }

    private GatewayConfig withFreeLimit(long limit) {
        String free = "free:       { limit: 30,  period: 1m }";
        return RedisGateway.config(dir.resolve("free-" + limit), REDIS.topology(), RedisTestSupport.RELAXED_TIMEOUT,
                "on-failure: deny", yaml -> yaml.replace(free, free.replace("30", Long.toString(limit))));
    }

    private RedisGateway gateway(GatewayConfig config) {
        RedisGateway gateway = RedisGateway.start(config, clock, StoreListener.NONE);
        closeAfter.add(gateway);
        return gateway;
    }

    private RedisConnection connection() {
        RedisConnection connection = RedisTestSupport.connect(RedisTestSupport.config(REDIS,
                RedisTestSupport.RELAXED_TIMEOUT));
        closeAfter.add(connection);
        return connection;
    }

    private long pttl(String key) {
        return (Long) server().command("PTTL", key);
    }

    private static RedisServerProcess server() {
        return REDIS.server();
    }

    private static Probe consume(RedisBucketStore store, String account, Quota quota) {
        return store.tryConsume(account, quota).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static List<Verdict> fiveThenLimited() {
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            verdicts.add(i < 5 ? Verdict.PASS : Verdict.LIMITED);
        }
        return verdicts;
    }

    private static Map<String, String> headers(Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimitHeaders.render(decision, headers::put);
        return headers;
    }
}
