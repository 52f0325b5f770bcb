package io.ventra.gateway.core.testing;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.limit.NanoClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when a test moves it, forwards or back. Safe to read and move from many threads.
 *
 * <p>It starts at a realistic wall-clock reading ({@link #DEFAULT_START}, in nanoseconds since the epoch), the
 * same order of magnitude as {@link NanoClock#SYSTEM}, so overflow bugs in bucket math show up in tests.
 */
public final class ManualClock implements NanoClock {
    /** Where a clock made with {@link #ManualClock()} starts: 2025-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2025-01-01T00:00:00Z");

    private final AtomicLong nanos;

    /** Creates a clock reading {@link #DEFAULT_START}. */
    public ManualClock() {
        this(toNanos(DEFAULT_START));
    }

    /** Creates a clock reading {@code startNanos}. */
    public ManualClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanos() {
        return nanos.get();
    }

    /** Moves the clock by {@code amount}; a negative amount moves it back. Returns the new reading. */
    public long advance(Duration amount) {
        requireNonNull(amount, "amount");
        return nanos.addAndGet(amount.toNanos());
    }

    /** Moves the clock by {@code amountNanos}; a negative amount moves it back. Returns the new reading. */
    public long advanceNanos(long amountNanos) {
        return nanos.addAndGet(amountNanos);
    }

    /** Sets the clock to {@code newNanos}, earlier or later than now. */
    public void set(long newNanos) {
        nanos.set(newNanos);
    }

    private static long toNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }
}
