package io.ventra.gateway.benchmarks;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.local.LocalBucket;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.limit.RateLimiter;
import io.ventra.gateway.core.store.MemoryBucketStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One local rate-limit decision (one bucket, never empty) for one hot account and spread over 100,000
 * accounts, against the same decision made by bucket4j alone, Guava's {@code RateLimiter} and Resilience4j's
 * {@code RateLimiter}. Guava and Resilience4j have no per-key store, so they appear only as a single limiter.
 *
 * <p>The 100k variants walk the accounts in order, so every call finds a different bucket, and every bucket
 * exists before measuring starts: this is the steady state, not bucket creation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LocalDecisionBenchmark {
    private static final int ACCOUNTS = 100_000;

    private final String[] accounts = new String[ACCOUNTS];
    private List<Quota> planOnly;
    private RateLimiter gateway;
    private LocalBucket bucket4j;
    private final LocalBucket[] bucket4jByIndex = new LocalBucket[ACCOUNTS];
    private final ConcurrentHashMap<String, LocalBucket> bucket4jByAccount = new ConcurrentHashMap<>();
    private com.google.common.util.concurrent.RateLimiter guava;
    private io.github.resilience4j.ratelimiter.RateLimiter resilience4j;
    private int next;

    @Setup
    public void setUp() {
        LimitConfig limit = BenchmarkConfigs.benchLimit();
        planOnly = List.of(new Quota(Quota.Scope.PLAN, limit));
        gateway = new RateLimiter(new MemoryBucketStore(NanoClock.SYSTEM, 1_000_000));
        bucket4j = newBucket(limit);
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts[i] = BenchmarkConfigs.account(i);
            gateway.acquire(accounts[i], planOnly).join();
            bucket4jByIndex[i] = newBucket(limit);
            bucket4jByAccount.put(accounts[i] + "\nplan:" + limit.name(), newBucket(limit));
        }
        guava = com.google.common.util.concurrent.RateLimiter.create(1e9);
        resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.of("bench", RateLimiterConfig.custom()
                .limitForPeriod(Integer.MAX_VALUE)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    @Benchmark
    public Decision gatewayHotAccount() {
        return gateway.acquire(accounts[0], planOnly).join();
    }

    @Benchmark
    public Decision gateway100kAccounts() {
        return gateway.acquire(accounts[nextIndex()], planOnly).join();
    }

    @Benchmark
    public ConsumptionProbe bucket4jHotBucket() {
        return bucket4j.tryConsumeAndReturnRemaining(1);
    }

    /** bucket4j with no lookup at all: the floor for a decision on one of many buckets. */
    @Benchmark
    public ConsumptionProbe bucket4j100kBucketsByIndex() {
        return bucket4jByIndex[nextIndex()].tryConsumeAndReturnRemaining(1);
    }

    /** bucket4j behind a plain map keyed like ours: what the store's bookkeeping costs on top. */
    @Benchmark
    public ConsumptionProbe bucket4j100kBucketsInMap() {
        return bucket4jByAccount.get(accounts[nextIndex()] + "\nplan:bench").tryConsumeAndReturnRemaining(1);
    }

    @Benchmark
    public boolean guavaRateLimiter() {
        return guava.tryAcquire();
    }

    @Benchmark
    public boolean resilience4jRateLimiter() {
        return resilience4j.acquirePermission();
    }

    private int nextIndex() {
        int index = next;
        next = index + 1 == ACCOUNTS ? 0 : index + 1;
        return index;
    }

    private static LocalBucket newBucket(LimitConfig limit) {
        return Bucket.builder()
                .addLimit(b -> b.capacity(limit.limit()).refillGreedy(limit.limit(), limit.period()))
                .build();
    }
}
