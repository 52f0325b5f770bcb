package io.ventra.gateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.core.config.FailureMode;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.headers.RateLimitHeaders;
import io.ventra.gateway.core.limit.Decision.Outcome;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.core.store.Probe;
import io.ventra.gateway.core.store.ResilientBucketStore;
import io.ventra.gateway.core.store.StoreListener;
import io.ventra.gateway.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the limiter decides when the store cannot answer (per quota failure mode), and for shadow quotas. The
 * store here is a memory store that can be told to fail for some quotas, behind the production guard.
 */
final class RateLimiterFailureModeTest {
    private static final LimitConfig FREE_LIMIT = new LimitConfig("free", 30, Duration.ofMinutes(1),
            RefillMode.GREEDY);
    private static final LimitConfig DISCOVERY_LIMIT = new LimitConfig("discovery", 5, Duration.ofMinutes(1),
            RefillMode.GREEDY);

    private final ManualClock clock = new ManualClock();
    private final FailingStore remote = new FailingStore(new MemoryBucketStore(clock, 1_000));
    private final ResilientBucketStore store = new ResilientBucketStore(remote, Duration.ofSeconds(5), 3, 1_000,
            clock, StoreListener.NONE);
    private final RateLimiter limiter = new RateLimiter(store);

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void allowLetsTheRequestThroughWithNoRateLimitHeaders() {
        // C16, on-failure: allow
        remote.failFor("plan:free");

        Decision decision = acquire(plan(FailureMode.ALLOW));

        assertThat(decision.outcome()).isEqualTo(Outcome.FAILURE_ALLOWED);
        assertThat(decision.isAllowed()).isTrue();
        assertThat(headers(decision)).isEmpty();
    }

    @Test
    void denyAnswersRetryAfterOnlyAndGivesBackTokensAlreadyTaken() {
        // C16, on-failure: deny; C13: the refused request keeps no Discovery token
        remote.failFor("plan:free");

        Decision decision = acquire(endpoint(FailureMode.ALLOW, false), plan(FailureMode.DENY));

        assertThat(decision.outcome()).isEqualTo(Outcome.FAILURE_DENIED);
        assertThat(decision.isAllowed()).isFalse();
        assertThat(headers(decision)).containsExactly(Map.entry(RateLimitHeaders.RETRY_AFTER, "1"));
        assertThat(remote.memory.available("acme", endpoint(FailureMode.ALLOW, false))).isEqualTo(5);
    }

    @Test
    void localDecidesFromAFallbackBucketHoldingThisInstancesShare() {
        // expected-instances 3: Free 30/min becomes 10/min on this instance while the store is down
        remote.failFor("plan:free");

        List<Decision> decisions = acquire(11, plan(FailureMode.LOCAL));

        assertThat(decisions.subList(0, 10)).allSatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.ALLOWED);
            assertThat(d.quota().limit().limit()).isEqualTo(10);
        });
        assertThat(decisions.subList(0, 10)).extracting(Decision::remaining)
                .containsExactly(9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L, 0L);
        assertThat(decisions.get(10).outcome()).isEqualTo(Outcome.LIMITED);
        assertThat(headers(decisions.get(0))).containsEntry(RateLimitHeaders.LIMIT, "10");
    }

    @Test
    void afterOneFailureTheRequestsOtherQuotasSkipTheStore() {
        remote.failFor("endpoint:discovery", "plan:free");

        Decision decision = acquire(endpoint(FailureMode.ALLOW, false), plan(FailureMode.ALLOW));

        assertThat(decision.outcome()).isEqualTo(Outcome.FAILURE_ALLOWED);
        assertThat(remote.calls.get()).isEqualTo(1);
    }

    @Test
    void aQuotaTheStoreAnsweredDescribesTheRequestWhenAnotherWasAllowedByFailure() {
        remote.failFor("plan:free");

        Decision decision = acquire(endpoint(FailureMode.ALLOW, false), plan(FailureMode.ALLOW));

        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(decision.quota().limit().name()).isEqualTo("discovery");
        assertThat(decision.remaining()).isEqualTo(4);
    }

    @Test
    void aShadowQuotaThatWouldRefuseLetsTheRequestThroughAndSaysWhich() {
        Quota discovery = endpoint(FailureMode.LOCAL, true);
        Quota free = plan(FailureMode.LOCAL);
        acquire(5, discovery, free);

        Decision sixth = acquire(discovery, free);

        assertThat(sixth.outcome()).isEqualTo(Outcome.SHADOW_LIMITED);
        assertThat(sixth.isAllowed()).isTrue();
        assertThat(sixth.shadowQuota()).isEqualTo(discovery);
        assertThat(sixth.quota()).isEqualTo(free);
        assertThat(sixth.remaining()).as("the plan was charged by all six").isEqualTo(24);
        assertThat(headers(sixth))
                .containsEntry(RateLimitHeaders.LIMIT, "30")
                .containsEntry(RateLimitHeaders.REMAINING, "24")
                .containsEntry(RateLimitHeaders.SHADOW, "\"discovery\";q=5;w=60;t=12")
                .doesNotContainKey(RateLimitHeaders.RETRY_AFTER);
    }

    @Test
    void aShadowQuotaAloneShowsNoHeadersUntilItWouldRefuse() {
        Quota shadowPlan = new Quota(Quota.Scope.PLAN, FREE_LIMIT, FailureMode.LOCAL, true);

        List<Decision> decisions = acquire(31, shadowPlan);

        assertThat(decisions.subList(0, 30)).allSatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.UNLIMITED);
            assertThat(headers(d)).isEmpty();
        });
        Decision last = decisions.get(30);
        assertThat(last.outcome()).isEqualTo(Outcome.SHADOW_LIMITED);
        assertThat(headers(last)).containsOnlyKeys(RateLimitHeaders.SHADOW);
    }

    @Test
    void anEnforcedRefusalWinsAndGivesBackTheShadowQuotasToken() {
        Quota shadowDiscovery = endpoint(FailureMode.LOCAL, true);
        Quota free = plan(FailureMode.LOCAL);
        acquire(30, free);

        Decision refused = acquire(shadowDiscovery, free);

        assertThat(refused.outcome()).isEqualTo(Outcome.LIMITED);
        assertThat(refused.quota()).isEqualTo(free);
        assertThat(remote.memory.available("acme", shadowDiscovery)).isEqualTo(5);
    }

    @Test
    void aShadowQuotaWhoseStoreFailsActsAsAllowWhateverItsFailureMode() {
        remote.failFor("endpoint:discovery");

        Decision decision = acquire(endpoint(FailureMode.DENY, true), plan(FailureMode.LOCAL));

        // the plan then skips the failing store and takes its token from the local fallback
        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOWED);
        assertThat(decision.quota().limit().name()).isEqualTo("free");
        assertThat(decision.quota().limit().limit()).isEqualTo(10);
    }

    @Test
    void aStoreWithoutLocalFallbackTreatsLocalAsAllow() {
        RateLimiter plain = new RateLimiter(remote);
        remote.failFor("plan:free");

        Decision decision = plain.acquire("acme", List.of(plan(FailureMode.LOCAL))).join();

        assertThat(decision.outcome()).isEqualTo(Outcome.FAILURE_ALLOWED);
    }

    private static Quota plan(FailureMode onFailure) {
        return new Quota(Quota.Scope.PLAN, FREE_LIMIT, onFailure, false);
    }

    private static Quota endpoint(FailureMode onFailure, boolean shadow) {
        return new Quota(Quota.Scope.ENDPOINT, DISCOVERY_LIMIT, onFailure, shadow);
    }

    private Decision acquire(Quota... quotas) {
        return limiter.acquire("acme", List.of(quotas)).orTimeout(10, TimeUnit.SECONDS).join();
    }

    private List<Decision> acquire(int times, Quota... quotas) {
        List<Decision> decisions = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            decisions.add(acquire(quotas));
        }
        return decisions;
    }

    private static Map<String, String> headers(Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimitHeaders.render(decision, headers::put);
        return headers;
    }

    /** A memory store that fails, asynchronously, for the buckets it is told to. */
    private static final class FailingStore implements BucketStore {
        private final MemoryBucketStore memory;
        private final Set<String> failing = ConcurrentHashMap.newKeySet();
        private final AtomicInteger calls = new AtomicInteger();

        FailingStore(MemoryBucketStore memory) {
            this.memory = memory;
        }

        void failFor(String... bucketNames) {
            failing.addAll(List.of(bucketNames));
        }

        @Override
        public CompletableFuture<Probe> tryConsume(String account, Quota quota) {
            calls.incrementAndGet();
            return failing.contains(quota.bucketName())
                    ? CompletableFuture.failedFuture(new IllegalStateException("Connection refused"))
                    : CompletableFuture.supplyAsync(() -> memory.consume(account, quota));
        }

        @Override
        public CompletableFuture<Void> refund(String account, Quota quota) {
            return memory.refund(account, quota);
        }

        @Override
        public String type() {
            return "failing";
        }

        @Override
        public void close() {
            memory.close();
        }
    }
}
