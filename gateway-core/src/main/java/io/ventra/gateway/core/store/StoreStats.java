package io.ventra.gateway.core.store;

/**
 * Counts of what a guarded store did since it was created, for metrics. All counts only grow.
 *
 * @param calls          calls made to the remote store
 * @param failures       calls that failed or timed out
 * @param timeouts       of those, calls that got no answer within the timeout
 * @param skipped        calls not made because the store was known to be down
 * @param localDecisions tokens taken from the local fallback buckets
 * @param outages        times the store became unavailable
 * @param health         the health right now
 */
public record StoreStats(
        long calls, long failures, long timeouts, long skipped, long localDecisions, long outages,
        StoreHealth health) {
}
