package io.ventra.gateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.limit.Decision.Outcome;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.core.testing.ManualClock;
import io.ventra.gateway.core.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stacked quotas on the memory store: all or nothing, and the decision names the binding quota. */
final class RateLimiterTest {
    private static final String DISCOVERY = "/api/v1/discovery/search";
    private static final String SOURCING = "/api/v1/sourcing/search";
    private static final String OTHER = "/api/other";

    @TempDir
    static Path dir;

    private static GatewayConfig config;
    private static LimitPolicy policy;

    private final ManualClock clock = new ManualClock();
    private final MemoryBucketStore store = new MemoryBucketStore(clock, 10_000);
    private final RateLimiter limiter = new RateLimiter(store);

    @BeforeAll
    static void loadConfig() {
        config = TestConfigs.load(dir);
        policy = new LimitPolicy(config);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void decisionsDescribeTheBindingQuotaAndARefusalChargesNoOtherQuota() {
        // C10: a burst of 6 Discovery calls on Free, then one call elsewhere
        List<Decision> burst = acquire("free-g", "free", DISCOVERY, 6);

        assertThat(burst.subList(0, 5)).allSatisfy(d -> assertQuota(d, Outcome.ALLOWED, "discovery", 5));
        assertThat(burst.subList(0, 5)).extracting(Decision::remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
        Decision sixth = burst.get(5);
        assertQuota(sixth, Outcome.LIMITED, "discovery", 5);
        assertThat(sixth.remaining()).isZero();
        assertThat(sixth.retryAfterNanos()).isEqualTo(Duration.ofSeconds(12).toNanos());
        assertThat(sixth.retryAfterSeconds()).isEqualTo(12);

        Decision other = acquire("free-g", "free", OTHER);
        assertQuota(other, Outcome.ALLOWED, "free", 30);
        assertThat(other.remaining()).isEqualTo(24);
    }

    @Test
    void bindingQuotaIsThePlanOnceItHasFewerTokensLeft() {
        acquire("free-f", "free", OTHER, 27);

        Decision onDiscovery = acquire("free-f", "free", DISCOVERY);

        assertQuota(onDiscovery, Outcome.ALLOWED, "free", 30);
        assertThat(onDiscovery.remaining()).isEqualTo(2);
        assertThat(onDiscovery.resetNanos()).isEqualTo(Duration.ofSeconds(56).toNanos());
    }

    @Test
    void endpointQuotasOfOneAccountKeepSeparateBuckets() {
        // C12 steps 1 and 2
        List<Decision> sourcing = acquire("free-h", "free", SOURCING, 4);
        assertThat(sourcing.subList(0, 3)).allSatisfy(d -> assertQuota(d, Outcome.ALLOWED, "sourcing", 3));
        assertQuota(sourcing.get(3), Outcome.LIMITED, "sourcing", 3);

        List<Decision> discovery = acquire("free-h", "free", DISCOVERY, 6);
        assertThat(discovery.subList(0, 5)).allSatisfy(d -> assertQuota(d, Outcome.ALLOWED, "discovery", 5));
        assertThat(discovery.subList(0, 5)).extracting(Decision::remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertQuota(discovery.get(5), Outcome.LIMITED, "discovery", 5);

        assertThat(acquire("free-i", "free", DISCOVERY, 5)).allMatch(Decision::isAllowed);
    }

    @Test
    void planRefusesOnDiscoveryOnceItIsEmptyThoughDiscoveryHasTokens() {
        // C12 step 3: both limits are enforced on the same route
        acquire("free-j", "free", OTHER, 28);

        List<Decision> discovery = acquire("free-j", "free", DISCOVERY, 3);

        assertThat(discovery.subList(0, 2)).allMatch(Decision::isAllowed);
        Decision refused = discovery.get(2);
        assertQuota(refused, Outcome.LIMITED, "free", 30);
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(store.available("free-j", quota("discovery"))).isEqualTo(3);
    }

    @Test
    void discoveryRefusalsChargeNothingToThePlan() {
        // C13 step 1: 20 Discovery calls, then 26 elsewhere
        List<Decision> discovery = acquire("free-k", "free", DISCOVERY, 20);
        assertThat(discovery).filteredOn(Decision::isAllowed).hasSize(5);

        List<Decision> other = acquire("free-k", "free", OTHER, 26);

        assertThat(other.subList(0, 25)).allMatch(Decision::isAllowed);
        assertThat(other.subList(0, 25)).extracting(Decision::remaining)
                .containsExactlyElementsOf(countdown(24));
        assertQuota(other.get(25), Outcome.LIMITED, "free", 30);
    }

    @Test
    void planRefusalsChargeNothingToDiscovery() {
        // C13 step 2: the plan is empty, 3 Discovery calls are refused by the plan, then 12 s later 5 pass
        acquire("free-l", "free", OTHER, 30);

        List<Decision> refused = acquire("free-l", "free", DISCOVERY, 3);
        assertThat(refused).allSatisfy(d -> assertQuota(d, Outcome.LIMITED, "free", 30));
        assertThat(store.available("free-l", quota("discovery"))).isEqualTo(5);

        clock.advance(Duration.ofSeconds(12));
        List<Decision> later = acquire("free-l", "free", DISCOVERY, 5);

        assertThat(later).allMatch(Decision::isAllowed);
        assertThat(later).extracting(Decision::remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
    }

    @Test
    void planRefusalsChargeNothingToDiscoveryWithIntervalRefill() {
        // C13, interval variant: Discovery's tokens are checked through the library API
        Quota discovery = new Quota(Quota.Scope.ENDPOINT,
                new LimitConfig("discovery", 5, Duration.ofMinutes(1), RefillMode.INTERVAL));
        Quota plan = new Quota(Quota.Scope.PLAN,
                new LimitConfig("free", 30, Duration.ofMinutes(1), RefillMode.INTERVAL));
        for (int i = 0; i < 30; i++) {
            assertThat(limiter.acquire("free-m", List.of(plan)).join().isAllowed()).isTrue();
        }

        for (int i = 0; i < 3; i++) {
            Decision refused = limiter.acquire("free-m", List.of(discovery, plan)).join();
            assertQuota(refused, Outcome.LIMITED, "free", 30);
            assertThat(refused.retryAfterNanos()).isEqualTo(Duration.ofMinutes(1).toNanos());
        }

        assertThat(store.available("free-m", discovery)).isEqualTo(5);
    }

    @Test
    void unlimitedPlanOffQuotaRoutesIsUnlimitedAndTouchesNoBucket() {
        // C11 step 1: an unlimited plan needs no bucket and no store round trip
        List<Decision> decisions = acquire("globex", "enterprise", OTHER, 500);

        assertThat(decisions).allSatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.UNLIMITED);
            assertThat(d.quota()).isNull();
            assertThat(d.isAllowed()).isTrue();
        });
        assertThat(store.size()).isZero();
    }

    @Test
    void endpointQuotasStillLimitAnUnlimitedPlan() {
        // C11 step 4: documented policy, quotas apply to every plan unless it sets endpoint-quotas: false
        List<Decision> decisions = acquire("globex", "enterprise", DISCOVERY, 10);

        assertThat(decisions.subList(0, 5)).allSatisfy(d -> assertQuota(d, Outcome.ALLOWED, "discovery", 5));
        assertThat(decisions.subList(5, 10)).allSatisfy(d -> assertQuota(d, Outcome.LIMITED, "discovery", 5));
        assertThat(store.size()).as("only the Discovery bucket, no plan bucket").isEqualTo(1);
    }

    @Test
    void planThatOptsOutOfEndpointQuotasIsLimitedOnlyByItsPlan() {
        List<Decision> decisions = acquire("ventra-internal", "internal", DISCOVERY, 10);

        assertThat(decisions).allSatisfy(d -> assertQuota(d, Outcome.ALLOWED, "internal", 1000));
        assertThat(decisions).extracting(Decision::remaining).containsExactlyElementsOf(
                LongStream.iterate(999, i -> i - 1).limit(10).boxed().collect(Collectors.toList()));
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void endpointQuotaNamingPlansSkipsOtherPlans(@TempDir Path other) {
        String yaml = TestConfigs.GATEWAY_YAML.replace("limit: 5, period: 1m }", "limit: 5, period: 1m, "
                + "plans: [free] }");
        GatewayConfig loaded = TestConfigs.load(other, yaml);
        LimitPolicy restricted = new LimitPolicy(loaded);

        assertThat(restricted.quotas(loaded.plans().get("free"), "GET", DISCOVERY))
                .extracting(Quota::bucketName).containsExactly("endpoint:discovery", "plan:free");
        assertThat(restricted.quotas(loaded.plans().get("pro"), "GET", DISCOVERY))
                .extracting(Quota::bucketName).containsExactly("plan:pro");
    }

    @Test
    void endpointQuotaNamingMethodsSkipsOtherMethods(@TempDir Path other) {
        String yaml = TestConfigs.GATEWAY_YAML.replace("limit: 5, period: 1m }", "limit: 5, period: 1m, "
                + "methods: [post] }");
        GatewayConfig loaded = TestConfigs.load(other, yaml);
        LimitPolicy restricted = new LimitPolicy(loaded);

        assertThat(restricted.quotas(loaded.plans().get("free"), "POST", DISCOVERY)).hasSize(2);
        assertThat(restricted.quotas(loaded.plans().get("free"), "GET", DISCOVERY))
                .extracting(Quota::bucketName).containsExactly("plan:free");
    }

    @Test
    void concurrentAcquiresOnOneFreeAccountAdmitExactlyThirty() throws Exception {
        // C17 on one instance: 200 concurrent requests from 8 threads
        List<Decision> decisions = concurrently(200, () -> acquire("free-v1", "free", OTHER));

        List<Long> remaining = decisions.stream().filter(Decision::isAllowed).map(Decision::remaining)
                .collect(Collectors.toList());
        assertThat(remaining).containsExactlyInAnyOrderElementsOf(countdown(29));
        assertThat(decisions).filteredOn(d -> !d.isAllowed()).hasSize(170)
                .allSatisfy(d -> assertQuota(d, Outcome.LIMITED, "free", 30));
    }

    @Test
    void concurrentStackedAcquiresChargeEveryQuotaOrNone() throws Exception {
        // C13 under contention: the plan has 3 tokens left, 100 Discovery calls race for them
        acquire("free-w", "free", OTHER, 27);

        List<Decision> decisions = concurrently(100, () -> acquire("free-w", "free", DISCOVERY));

        assertThat(decisions).filteredOn(Decision::isAllowed).hasSize(3);
        assertThat(store.available("free-w", quota("free"))).isZero();
        assertThat(store.available("free-w", quota("discovery"))).isEqualTo(2);
    }

    private Decision acquire(String account, String plan, String path) {
        return limiter.acquire(account, policy.quotas(config.plans().get(plan), "GET", path)).join();
    }

    private List<Decision> acquire(String account, String plan, String path, int times) {
        List<Decision> decisions = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            decisions.add(acquire(account, plan, path));
        }
        return decisions;
    }

    private static Quota quota(String name) {
        if (config.plans().containsKey(name)) {
            return new Quota(Quota.Scope.PLAN, config.plans().get(name).limit().orElseThrow());
        }
        return new Quota(Quota.Scope.ENDPOINT, config.endpoints().get(name).limit());
    }

    private static void assertQuota(Decision decision, Outcome outcome, String name, long limit) {
        assertThat(decision.outcome()).isEqualTo(outcome);
        assertThat(decision.quota().limit().name()).isEqualTo(name);
        assertThat(decision.quota().limit().limit()).isEqualTo(limit);
        assertThat(decision.remaining()).isNotNegative();
    }

    private static List<Long> countdown(long from) {
        return LongStream.rangeClosed(0, from).map(i -> from - i).boxed().collect(Collectors.toList());
    }

    private static List<Decision> concurrently(int requests, Callable<Decision> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Decision>> futures = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<Decision> decisions = new ArrayList<>();
            for (Future<Decision> future : futures) {
                decisions.add(future.get(10, TimeUnit.SECONDS));
            }
            return decisions;
        } finally {
            threads.shutdownNow();
        }
    }
}
