package io.ventra.gateway.core.store;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides whether a call to a remote store is worth making, so that an outage costs requests no waiting.
 *
 * <p>Closed: every call goes through; {@code threshold} failures in a row open it. Open: calls are refused at
 * once; after {@code openNanos} the next call is let through as a probe (half-open) while the others are still
 * refused. The probe's success closes the breaker, its failure opens it again for another {@code openNanos}.
 *
 * <p>Example with threshold 3 and 1 s: Redis stops at t=0; the three calls that follow fail fast (connection
 * refused) or after the timeout, and the breaker opens; from then on calls fail in microseconds. At t=1 s one
 * call probes and fails, at t=2 s another, and so on; once Redis is back, the next probe succeeds and every call
 * goes through again, at most about 1 s after recovery.
 *
 * <p>Each call gets a permit naming the breaker's generation, which grows each time it opens. A success that
 * arrives late, from a call made before the breaker opened, does not close it: only a call made while the
 * breaker was open (the probe) or still closed can vouch for the store. Lock-free; safe from any thread.
 */
final class CircuitBreaker {
    /** The permit returned when a call must not be made. */
    static final long REFUSED = -1;

    private static final int CLOSED = 0;
    private static final int OPEN = 1;
    private static final int HALF_OPEN = 2;

    private final int threshold;
    private final long openNanos;
    private final LongSupplier ticker;
    private final Transitions transitions;

    private final AtomicInteger state = new AtomicInteger(CLOSED);
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong generation = new AtomicLong();
    private volatile long retryAt;

    CircuitBreaker(int threshold, long openNanos, LongSupplier ticker, Transitions transitions) {
        this.threshold = threshold;
        this.openNanos = openNanos;
        this.ticker = ticker;
        this.transitions = transitions;
    }

    /** Returns a permit for one call, or {@link #REFUSED}. */
    long tryAcquire() {
        int current = state.get();
        if (current == CLOSED) {
            return generation.get();
        }
        if (current == OPEN && ticker.getAsLong() - retryAt >= 0 && state.compareAndSet(OPEN, HALF_OPEN)) {
            return generation.get();
        }
        return REFUSED;
    }

    /** Records that the call made with {@code permit} succeeded. */
    void onSuccess(long permit) {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
        if (state.get() != CLOSED && permit == generation.get() && state.getAndSet(CLOSED) != CLOSED) {
            transitions.closed();
        }
    }

    /** Records that the call made with {@code permit} failed. */
    void onFailure(long permit, Throwable cause) {
        if (permit != generation.get()) {
            return;
        }
        int current = state.get();
        if (current == HALF_OPEN) {
            open(HALF_OPEN);
        } else if (current == CLOSED && consecutiveFailures.incrementAndGet() >= threshold && open(CLOSED)) {
            transitions.opened(cause);
        }
    }

    /** Tells whether calls are being refused or probed, that is, the store is considered down. */
    boolean isOpen() {
        return state.get() != CLOSED;
    }

    private boolean open(int from) {
        // Set the retry time first, so that no caller sees OPEN with the previous, already passed retry time.
        retryAt = ticker.getAsLong() + openNanos;
        if (!state.compareAndSet(from, OPEN)) {
            return false;
        }
        generation.incrementAndGet();
        consecutiveFailures.set(0);
        return true;
    }

    /** Hears the transitions that matter to operators. */
    interface Transitions {
        /** The breaker opened from closed: an outage began. */
        void opened(Throwable cause);

        /** The breaker closed again: the outage ended. */
        void closed();
    }
}
