package io.ventra.gateway.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.limit.Decision.Outcome;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.core.store.Probe;
import io.ventra.gateway.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limiter's path for stores that answer later on their own threads (Redis): the same all-or-nothing
 * decisions as the memory fast path. The store here is the memory store behind a thread pool.
 */
final class RateLimiterAsyncStoreTest {
    private static final Quota FREE = new Quota(Quota.Scope.PLAN,
            new LimitConfig("free", 30, Duration.ofMinutes(1), RefillMode.GREEDY));
    private static final Quota DISCOVERY = new Quota(Quota.Scope.ENDPOINT,
            new LimitConfig("discovery", 5, Duration.ofMinutes(1), RefillMode.GREEDY));

    private final ManualClock clock = new ManualClock();
    private final MemoryBucketStore memory = new MemoryBucketStore(clock, 10_000);
    private final ExecutorService storeThreads = Executors.newFixedThreadPool(4);
    private final RateLimiter limiter = new RateLimiter(new ThreadPoolStore(memory, storeThreads));

    @AfterEach
    void stop() {
        storeThreads.shutdownNow();
        memory.close();
    }

    @Test
    void decisionsDescribeTheBindingQuotaAndARefusalChargesNoOtherQuota() {
        // C10 on the async path
        List<Decision> burst = acquire("free-g", 6, DISCOVERY, FREE);

        assertThat(burst.subList(0, 5)).extracting(Decision::remaining).containsExactly(4L, 3L, 2L, 1L, 0L);
        assertThat(burst.subList(0, 5)).allSatisfy(d -> assertThat(d.quota()).isEqualTo(DISCOVERY));
        assertThat(burst.get(5).outcome()).isEqualTo(Outcome.LIMITED);
        assertThat(burst.get(5).quota()).isEqualTo(DISCOVERY);
        assertThat(burst.get(5).retryAfterSeconds()).isEqualTo(12);

        Decision other = acquire("free-g", 1, FREE).get(0);
        assertThat(other.quota()).isEqualTo(FREE);
        assertThat(other.remaining()).isEqualTo(24);
    }

    @Test
    void planRefusalsGiveTheirDiscoveryTokensBack() {
        // C13 step 2 on the async path: refunds complete later, so wait for them
        acquire("free-l", 30, FREE);

        List<Decision> refused = acquire("free-l", 3, DISCOVERY, FREE);

        assertThat(refused).allSatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(Outcome.LIMITED);
            assertThat(d.quota()).isEqualTo(FREE);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> memory.available("free-l", DISCOVERY) == 5);
        clock.advance(Duration.ofSeconds(12));
        assertThat(acquire("free-l", 5, DISCOVERY, FREE)).allMatch(Decision::isAllowed);
    }

    @Test
    void concurrentStackedAcquiresChargeEveryQuotaOrNone() {
        // C13 under contention: the plan has 3 tokens left, 100 Discovery calls race for them
        acquire("free-w", 27, FREE);

        List<CompletableFuture<Decision>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(limiter.acquire("free-w", List.of(DISCOVERY, FREE)));
        }
        List<Decision> decisions = futures.stream().map(f -> f.orTimeout(10, TimeUnit.SECONDS).join()).toList();

        assertThat(decisions).filteredOn(Decision::isAllowed).hasSize(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> memory.available("free-w", DISCOVERY) == 2);
        assertThat(memory.available("free-w", FREE)).isZero();
    }

    @Test
    void noQuotasMeansUnlimitedWithoutAStoreCall() {
        assertThat(limiter.acquire("globex", List.of()).join().outcome()).isEqualTo(Outcome.UNLIMITED);
        assertThat(memory.size()).isZero();
    }

    private List<Decision> acquire(String account, int times, Quota... quotas) {
        List<Decision> decisions = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            decisions.add(limiter.acquire(account, List.of(quotas)).orTimeout(10, TimeUnit.SECONDS).join());
        }
        return decisions;
    }

    /** Answers on a thread pool, as a store backed by a server does. */
    private static final class ThreadPoolStore implements BucketStore {
        private final MemoryBucketStore delegate;
        private final ExecutorService threads;

        ThreadPoolStore(MemoryBucketStore delegate, ExecutorService threads) {
            this.delegate = delegate;
            this.threads = threads;
        }

        @Override
        public CompletableFuture<Probe> tryConsume(String account, Quota quota) {
            return CompletableFuture.supplyAsync(() -> delegate.consume(account, quota), threads);
        }

        @Override
        public CompletableFuture<Void> refund(String account, Quota quota) {
            return CompletableFuture.runAsync(() -> delegate.refund(account, quota), threads);
        }

        @Override
        public String type() {
            return "thread-pool";
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
