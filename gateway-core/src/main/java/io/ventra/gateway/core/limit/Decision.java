package io.ventra.gateway.core.limit;

import static java.util.Objects.requireNonNull;

/**
 * The result of asking the limits whether a request may pass, with the numbers the rate-limit headers need.
 *
 * @param outcome         allowed, limited, or unlimited (no bucket involved)
 * @param quota           the limit that binds (fewest tokens left) when allowed, the one that refused when
 *                        limited; {@code null} when unlimited
 * @param remaining       tokens left in that bucket after this request, never negative
 * @param resetNanos      when allowed, time until that bucket is full again; when limited, time until the
 *                        next token
 * @param retryAfterNanos when limited, time until a retry can pass; otherwise 0
 */
public record Decision(Outcome outcome, Quota quota, long remaining, long resetNanos, long retryAfterNanos) {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Decision UNLIMITED = new Decision(Outcome.UNLIMITED, null, 0, 0, 0);

    public Decision {
        requireNonNull(outcome, "outcome");
        if (outcome != Outcome.UNLIMITED) {
            requireNonNull(quota, "quota");
        }
        remaining = Math.max(0, remaining);
        resetNanos = Math.max(0, resetNanos);
        retryAfterNanos = Math.max(0, retryAfterNanos);
    }

    /** Returns the decision for a request that no bucket limits. */
    public static Decision unlimited() {
        return UNLIMITED;
    }

    public boolean isAllowed() {
        return outcome != Outcome.LIMITED;
    }

    /** Returns {@code Retry-After} in whole seconds, rounded up and at least 1. */
    public long retryAfterSeconds() {
        return Math.max(1, ceilSeconds(retryAfterNanos));
    }

    /** Returns the reset time in whole seconds, rounded up. */
    public long resetSeconds() {
        return ceilSeconds(resetNanos);
    }

    private static long ceilSeconds(long nanos) {
        return nanos / NANOS_PER_SECOND + (nanos % NANOS_PER_SECOND == 0 ? 0 : 1);
    }

    /** What happened to the request. */
    public enum Outcome {
        /** Every bucket had a token; one was taken from each. */
        ALLOWED,
        /** A bucket was empty; no bucket was charged. */
        LIMITED,
        /** No bucket applies (an unlimited plan on a route without endpoint quotas). */
        UNLIMITED
    }
}
