package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where buckets live.
 *
 * @param type              memory (the default) or redis
 * @param maxBuckets        most buckets the memory store (and the Redis store's local fallback) holds before it
 *                          evicts the least recently used (default 1,000,000); idle buckets are evicted once they
 *                          would be full again anyway
 * @param redis             how to reach Redis; present exactly when {@code type} is redis
 * @param onFailure         what a quota does when the store cannot answer, unless its plan or endpoint quota
 *                          says otherwise (default local)
 * @param expectedInstances how many gateway instances share the store (default 1); sizes the local fallback
 *                          buckets to {@code limit / expectedInstances}, at least 1
 */
public record StoreConfig(
        Type type, long maxBuckets, Optional<RedisStoreConfig> redis, FailureMode onFailure, int expectedInstances) {
    public static final StoreConfig MEMORY = new StoreConfig(Type.MEMORY, 1_000_000);

    public StoreConfig {
        requireNonNull(type, "type");
        requireNonNull(redis, "redis");
        requireNonNull(onFailure, "onFailure");
        if (redis.isPresent() != (type == Type.REDIS)) {
            throw new IllegalArgumentException("redis: " + redis.isPresent() + " with type " + type
                    + " (expected: Redis settings exactly when the type is redis)");
        }
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("maxBuckets: " + maxBuckets + " (expected: >= 1)");
        }
        if (expectedInstances < 1) {
            throw new IllegalArgumentException("expectedInstances: " + expectedInstances + " (expected: >= 1)");
        }
    }

    /** Creates a store configuration without Redis: local failure mode, one instance. */
    public StoreConfig(Type type, long maxBuckets) {
        this(type, maxBuckets, Optional.empty(), FailureMode.LOCAL, 1);
    }

    /** Returns a Redis store configuration with default limits (tests, embedding). */
    public static StoreConfig redis(RedisStoreConfig redis, FailureMode onFailure, int expectedInstances) {
        return new StoreConfig(Type.REDIS, MEMORY.maxBuckets(), Optional.of(redis), onFailure, expectedInstances);
    }

    /** The kinds of store. */
    public enum Type {
        MEMORY,
        REDIS
    }
}
