package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

/**
 * Where buckets live.
 *
 * @param type       memory (the default) or redis
 * @param maxBuckets most buckets the memory store holds before it evicts the least recently used
 *                   (default 1,000,000); idle buckets are evicted once they would be full again anyway
 */
public record StoreConfig(Type type, long maxBuckets) {
    public static final StoreConfig MEMORY = new StoreConfig(Type.MEMORY, 1_000_000);

    public StoreConfig {
        requireNonNull(type, "type");
    }

    /** The kinds of store. */
    public enum Type {
        MEMORY,
        REDIS
    }
}
