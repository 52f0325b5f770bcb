package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Describes one token bucket: {@code limit} requests per {@code period}, refilled as {@code refill} says.
 *
 * @param name    the plan or endpoint-quota name, used in headers and problem bodies
 * @param limit   bucket capacity, at least 1
 * @param period  time to refill the whole capacity, longer than zero
 * @param refill  greedy (smooth) or interval (fixed window)
 */
public record LimitConfig(String name, long limit, Duration period, RefillMode refill) {
    public LimitConfig {
        requireNonNull(name, "name");
        requireNonNull(period, "period");
        requireNonNull(refill, "refill");
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period: " + period + " (expected: > 0)");
        }
        if (period.compareTo(Duration.ofNanos(limit)) < 0) {
            throw new IllegalArgumentException("limit: " + limit + " per " + period
                    + " (expected: at most one token per nanosecond)");
        }
    }

    /** Returns the period in whole seconds, rounded up, as used by the {@code w} header parameter. */
    public long windowSeconds() {
        long seconds = period.getSeconds();
        return period.getNano() == 0 ? seconds : seconds + 1;
    }
}
