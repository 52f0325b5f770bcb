package io.ventra.gateway.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.ventra.gateway.core.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Runs the store contract on the in-memory store, plus what only the memory store promises. */
final class MemoryBucketStoreTest extends BucketStoreContract {
    private static final long MAX_BUCKETS = 1_000;

    @Override
    protected ManualClock createClock() {
        return new ManualClock();
    }

    @Override
    protected BucketStore createStore(ManualClock clock) {
        return new MemoryBucketStore(clock, MAX_BUCKETS);
    }

    @Test
    void dropsABucketOnceItHasBeenIdleForItsPeriod() {
        MemoryBucketStore memory = (MemoryBucketStore) store();
        consume(FREE);
        assertThat(memory.size()).isEqualTo(1);

        clock().advance(Duration.ofSeconds(59));
        assertThat(memory.size()).isEqualTo(1);

        clock().advance(Duration.ofSeconds(1));
        assertThat(memory.size()).isZero();
    }

    @Test
    void holdsNoMoreThanMaxBuckets() {
        MemoryBucketStore memory = (MemoryBucketStore) store();

        for (int i = 0; i < 3 * MAX_BUCKETS; i++) {
            consume(freshAccount(), FREE);
        }

        assertThat(memory.size()).isLessThanOrEqualTo(MAX_BUCKETS);
    }

    @Test
    void availableReportsTokensWithoutTakingOne() {
        MemoryBucketStore memory = (MemoryBucketStore) store();
        consume(FREE, 3);

        assertThat(memory.available(account(), FREE)).isEqualTo(27);
        assertThat(memory.available(account(), FREE)).isEqualTo(27);
    }

    @Test
    void reportsItsTypeAsMemory() {
        assertThat(store().type()).isEqualTo("memory");
    }
}
