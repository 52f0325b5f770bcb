package io.ventra.gateway.benchmarks.redis;

import io.ventra.gateway.core.config.FailureMode;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RedisStoreConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.limit.RateLimiter;
import io.ventra.gateway.core.store.ResilientBucketStore;
import io.ventra.gateway.core.store.StoreListener;
import io.ventra.gateway.core.store.redis.RedisBucketStore;
import io.ventra.gateway.core.store.redis.RedisConnection;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures rate-limit decisions per second and their latency against a real Redis, through the limiter and the
 * Redis store over one shared Lettuce connection, for one hot key and for 10,000 keys, with and without
 * bucket4j's batching. "decisions/s" counts only decisions Redis made; "failed" counts those it could not (CAS
 * retries exhausted, or no answer within 5 s), which production would hand to the failure mode.
 *
 * <p>Closed loop: {@code inFlight} decisions are outstanding at all times; each completion starts the next, so
 * the figures show what one gateway process gets from one Redis, not what an open-loop load would queue up.
 * Every decision takes one token from a bucket too large to run dry, so each one writes to Redis; a decision
 * Redis did not make in time (timeout 5 s, or CAS retries exhausted) is counted as an error, not as a result.
 *
 * <p>Run (Redis must be listening; nothing else should use it):
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.ventra.gateway.benchmarks.redis.RedisDecisionBenchmark \
 *     redis://127.0.0.1:6379 [seconds per scenario, default 10] [in-flight, default 256]
 * </pre>
 */
public final class RedisDecisionBenchmark {
    /** Too large to run dry; deny on failure, so that a decision Redis did not make counts as an error. */
    private static final Quota QUOTA = new Quota(Quota.Scope.PLAN,
            new LimitConfig("bench", 1_000_000_000_000L, Duration.ofHours(1), RefillMode.GREEDY), FailureMode.DENY,
            false);
    private static final Duration WARMUP = Duration.ofSeconds(3);
    private static final int MAX_SAMPLES = 4_000_000;

    private RedisDecisionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        Duration measure = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        int inFlight = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        RedisStoreConfig config = RedisStoreConfig.standalone(uri).withTimeout(Duration.ofSeconds(5))
                .withPrefix("bench:" + Long.toHexString(System.nanoTime()) + ":");
        try (RedisConnection connection = RedisConnection.open(config)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!connection.isConnected() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            System.out.printf(Locale.ROOT, "%-36s %14s %10s %10s %10s %10s%n", "scenario (" + inFlight
                    + " in flight)", "decisions/s", "p50 ms", "p99 ms", "max ms", "failed");
            for (int keys : List.of(1, 10_000)) {
                for (boolean batching : List.of(true, false)) {
                    run(connection, config, keys, batching, false, inFlight, measure);
                }
                run(connection, config, keys, true, true, inFlight, measure);
            }
        }
    }

    private static void run(RedisConnection connection, RedisStoreConfig config, int keys, boolean batching,
            boolean guarded, int inFlight, Duration measure) throws InterruptedException {
        RedisBucketStore redis = new RedisBucketStore(connection, config.prefix() + keys + batching + guarded + ":",
                NanoClock.SYSTEM, batching);
        // Unguarded rows leave out the production guard (timeout, circuit breaker): without batching a hot key
        // fails so many compare-and-swaps that the breaker would open and hide what Redis can do. The guarded
        // rows are the production path as BucketStores.create builds it.
        RateLimiter limiter = new RateLimiter(guarded ? new ResilientBucketStore(redis, config.timeout(), 1, 1_000,
                NanoClock.SYSTEM, StoreListener.NONE) : redis);
        String[] accounts = new String[keys];
        for (int i = 0; i < keys; i++) {
            accounts[i] = "account-" + i;
        }
        Loop warmup = new Loop(limiter, accounts, inFlight, false);
        warmup.runFor(WARMUP);
        Loop loop = new Loop(limiter, accounts, inFlight, true);
        long start = System.nanoTime();
        loop.runFor(measure);
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] samples = loop.samples();
        Arrays.sort(samples);
        String name = (keys == 1 ? "1 hot key" : keys + " keys") + (batching ? ", batching" : ", no batching")
                + (guarded ? ", guarded" : "");
        System.out.printf(Locale.ROOT, "%-36s %,14.0f %10.2f %10.2f %10.2f %,10d%n", name,
                (loop.completed.sum() - loop.errors.sum()) / seconds, percentile(samples, 0.50),
                percentile(samples, 0.99), samples.length == 0 ? 0 : samples[samples.length - 1] / 1e6,
                loop.errors.sum());
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Keeps {@code inFlight} decisions outstanding until told to stop; records each one's latency. */
    private static final class Loop {
        private final RateLimiter limiter;
        private final String[] accounts;
        private final int inFlight;
        private final boolean record;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final LongAdder completed = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final long[] latencies = new long[MAX_SAMPLES];
        private final AtomicLong recorded = new AtomicLong();
        private CountDownLatch drained;

        Loop(RateLimiter limiter, String[] accounts, int inFlight, boolean record) {
            this.limiter = limiter;
            this.accounts = accounts;
            this.inFlight = inFlight;
            this.record = record;
        }

        void runFor(Duration duration) throws InterruptedException {
            drained = new CountDownLatch(inFlight);
            for (int i = 0; i < inFlight; i++) {
                next();
            }
            Thread.sleep(duration.toMillis());
            running.set(false);
            drained.await(30, TimeUnit.SECONDS);
        }

        long[] samples() {
            return Arrays.copyOf(latencies, (int) Math.min(recorded.get(), MAX_SAMPLES));
        }

        private void next() {
            // Iterative while decisions complete at once (the store skipped), so the stack never grows.
            while (running.get()) {
                String account = accounts[ThreadLocalRandom.current().nextInt(accounts.length)];
                long start = System.nanoTime();
                CompletableFuture<Decision> decision = limiter.acquire(account, List.of(QUOTA));
                if (!decision.isDone()) {
                    decision.whenComplete((d, e) -> {
                        done(start, d, e);
                        next();
                    });
                    return;
                }
                done(start, decision.getNow(null), null);
            }
            drained.countDown();
        }

        private void done(long start, Decision decision, Throwable error) {
            long took = System.nanoTime() - start;
            if (!running.get()) {
                return;
            }
            completed.increment();
            if (error != null || decision.outcome() != Decision.Outcome.ALLOWED) {
                errors.increment();
            }
            long slot = recorded.getAndIncrement();
            if (record && slot < MAX_SAMPLES) {
                latencies[(int) slot] = took;
            }
        }
    }
}
