package io.ventra.gateway.core.store;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.RedisStoreConfig;
import io.ventra.gateway.core.config.StoreConfig;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.redis.RedisBucketStore;

/** Creates the store a configuration asks for. */
public final class BucketStores {
    private BucketStores() {
    }

    /** Returns a new store for {@code config}, on {@code clock}, reporting outages to no one. The caller closes it. */
    public static BucketStore create(StoreConfig config, NanoClock clock) {
        return create(config, clock, StoreListener.NONE);
    }

    /**
     * Returns a new store for {@code config}, on {@code clock}. The caller closes it.
     *
     * <p>For Redis, the store connects in the background and returns at once (while not connected, quotas follow
     * their failure mode), and is guarded by a {@link ResilientBucketStore} that applies the timeout, skips Redis
     * while it is down, keeps the local fallback buckets, and reports outages to {@code listener}.
     */
    public static BucketStore create(StoreConfig config, NanoClock clock, StoreListener listener) {
        requireNonNull(config, "config");
        requireNonNull(clock, "clock");
        requireNonNull(listener, "listener");
        switch (config.type()) {
            case MEMORY:
                return new MemoryBucketStore(clock, config.maxBuckets());
            case REDIS:
                RedisStoreConfig redis = config.redis().orElseThrow();
                return new ResilientBucketStore(RedisBucketStore.connect(redis, clock), redis.timeout(),
                        config.expectedInstances(), config.maxBuckets(), clock, listener);
            default:
                throw new IllegalArgumentException("store.type: " + config.type() + " (expected: memory or redis)");
        }
    }
}
