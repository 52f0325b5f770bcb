package io.ventra.gateway.core.limit;

import static java.util.Objects.requireNonNull;

/**
 * The result of asking the limits whether a request may pass, with the numbers the rate-limit headers need.
 *
 * @param outcome         what happened; see {@link Outcome}
 * @param quota           the enforced limit that binds (fewest tokens left) when allowed or shadow-limited, the
 *                        one that refused when limited, the one whose store failed on a failure outcome;
 *                        {@code null} when unlimited, and when shadow-limited with no enforced quota
 * @param remaining       tokens left in that bucket after this request, never negative
 * @param resetNanos      when allowed, time until that bucket is full again; when limited, time until the
 *                        next token
 * @param retryAfterNanos when limited, time until a retry can pass; when failure-denied, time until the store is
 *                        tried again; when shadow-limited, time until the shadow quota would let a retry pass;
 *                        otherwise 0
 * @param shadowQuota     when shadow-limited, the shadow quota that would have refused; otherwise {@code null}
 */
public record Decision(
        Outcome outcome, Quota quota, long remaining, long resetNanos, long retryAfterNanos, Quota shadowQuota) {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final Decision UNLIMITED = new Decision(Outcome.UNLIMITED, null, 0, 0, 0);

    public Decision {
        requireNonNull(outcome, "outcome");
        if (outcome == Outcome.ALLOWED || outcome == Outcome.LIMITED || outcome == Outcome.FAILURE_ALLOWED
                || outcome == Outcome.FAILURE_DENIED) {
            requireNonNull(quota, "quota");
        }
        if (outcome == Outcome.SHADOW_LIMITED) {
            requireNonNull(shadowQuota, "shadowQuota");
        } else if (shadowQuota != null) {
            throw new IllegalArgumentException("shadowQuota: " + shadowQuota.bucketName() + " with outcome "
                    + outcome + " (expected: only with SHADOW_LIMITED)");
        }
        remaining = Math.max(0, remaining);
        resetNanos = Math.max(0, resetNanos);
        retryAfterNanos = Math.max(0, retryAfterNanos);
    }

    /** Creates a decision that involves no shadow quota. */
    public Decision(Outcome outcome, Quota quota, long remaining, long resetNanos, long retryAfterNanos) {
        this(outcome, quota, remaining, resetNanos, retryAfterNanos, null);
    }

    /** Returns the decision for a request that no bucket limits. */
    public static Decision unlimited() {
        return UNLIMITED;
    }

    /** Tells whether the request may pass: every outcome but limited and failure-denied. */
    public boolean isAllowed() {
        return outcome != Outcome.LIMITED && outcome != Outcome.FAILURE_DENIED;
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
        /** No enforced bucket applies (an unlimited plan on a route without endpoint quotas). */
        UNLIMITED,
        /**
         * The store could not answer for a quota whose failure mode is allow, and no other quota had numbers to
         * show: the request passes with no rate-limit headers.
         */
        FAILURE_ALLOWED,
        /** The store could not answer for a quota whose failure mode is deny: 503 with {@code Retry-After}. */
        FAILURE_DENIED,
        /**
         * A shadow quota would have refused, and no enforced quota did: the request passes, and the response says
         * which limit it would have hit.
         */
        SHADOW_LIMITED
    }
}
