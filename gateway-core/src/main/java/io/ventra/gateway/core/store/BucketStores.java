package io.ventra.gateway.core.store;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.StoreConfig;
import io.ventra.gateway.core.limit.NanoClock;

/** Creates the store a configuration asks for. */
public final class BucketStores {
    private BucketStores() {
    }

    /** Returns a new store for {@code config}, on {@code clock}. The caller closes it. */
    public static BucketStore create(StoreConfig config, NanoClock clock) {
        requireNonNull(config, "config");
        requireNonNull(clock, "clock");
        switch (config.type()) {
            case MEMORY:
                return new MemoryBucketStore(clock, config.maxBuckets());
            default:
                throw new IllegalArgumentException("store.type: " + config.type() + " (expected: memory)");
        }
    }
}
