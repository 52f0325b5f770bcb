package io.ventra.gateway.core.store;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.LocalBucketBuilder;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.limit.Quota;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps buckets in this process, for one gateway instance or an embedded library. The map is bounded: a bucket
 * left idle for its period is dropped (it would be full again by then, so nothing is lost), and beyond
 * {@code maxBuckets} the least recently used are dropped first.
 *
 * <p>When a quota changes shape (a config reload), its existing buckets keep the tokens they have, capped at
 * the new capacity (bucket4j's {@code AS_IS} inheritance), and refill at the new rate.
 */
public final class MemoryBucketStore implements BucketStore {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final TimeMeter timeMeter;
    private final Cache<String, Entry> buckets;

    /** Creates a store on the given clock holding at most {@code maxBuckets} buckets. */
    public MemoryBucketStore(NanoClock clock, long maxBuckets) {
        requireNonNull(clock, "clock");
        this.timeMeter = BucketShapes.timeMeter(clock);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                .expireAfter(new IdleForOnePeriod())
                .ticker(new ForwardOnlyTicker(clock))
                .executor(Runnable::run)
                .build();
    }

    @Override
    public CompletableFuture<Probe> tryConsume(String account, Quota quota) {
        return CompletableFuture.completedFuture(consume(account, quota));
    }

    /** Takes one token at once, without a future; the memory store never waits. */
    public Probe consume(String account, Quota quota) {
        return BucketShapes.probe(bucket(account, quota).tryConsumeAndReturnRemaining(1));
    }

    @Override
    public CompletableFuture<Void> refund(String account, Quota quota) {
        bucket(account, quota).addTokens(1);
        return DONE;
    }

    /** Returns the tokens left in a bucket without taking one (library API and tests). */
    public long available(String account, Quota quota) {
        return bucket(account, quota).getAvailableTokens();
    }

    /** Returns how many buckets the store holds right now. */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public void close() {
        buckets.invalidateAll();
    }

    private LocalBucket bucket(String account, Quota quota) {
        String key = account + '\n' + quota.bucketName();
        LimitConfig limit = quota.limit();
        Entry entry = buckets.get(key, k -> new Entry(limit, newBucket(limit)));
        if (!entry.limit.equals(limit)) {
            entry.bucket.replaceConfiguration(BucketShapes.configuration(limit), TokensInheritanceStrategy.AS_IS);
            entry.limit = limit;
            // Put it again so that idle eviction is timed by the new period, not the old one.
            buckets.put(key, entry);
        }
        return entry.bucket;
    }

    private LocalBucket newBucket(LimitConfig limit) {
        BucketConfiguration configuration = BucketShapes.configuration(limit);
        LocalBucketBuilder builder = Bucket.builder().withCustomTimePrecision(timeMeter);
        for (Bandwidth bandwidth : configuration.getBandwidths()) {
            builder.addLimit(bandwidth);
        }
        return builder.build();
    }

    private static final class Entry {
        private final LocalBucket bucket;
        private volatile LimitConfig limit;

        Entry(LimitConfig limit, LocalBucket bucket) {
            this.limit = limit;
            this.bucket = bucket;
        }
    }

    /** Drops a bucket once it has been idle for a whole period: by then it is full, so nothing is lost. */
    private static final class IdleForOnePeriod implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry entry, long now) {
            return entry.limit.period().toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Entry entry, long now, long remaining) {
            return entry.limit.period().toNanos();
        }

        @Override
        public long expireAfterRead(String key, Entry entry, long now, long remaining) {
            return entry.limit.period().toNanos();
        }
    }

    /**
     * Times idle eviction on the clock, but never moves back. Bucket math ignores time that moves back, so idle
     * time must too: otherwise a bucket used just before the clock returns to a later reading looks idle for
     * the whole jump, is dropped, and comes back full.
     */
    private static final class ForwardOnlyTicker implements Ticker {
        private final NanoClock clock;
        private final AtomicLong latest = new AtomicLong(Long.MIN_VALUE);

        ForwardOnlyTicker(NanoClock clock) {
            this.clock = clock;
        }

        @Override
        public long read() {
            return latest.accumulateAndGet(clock.nanos(), Math::max);
        }
    }
}
