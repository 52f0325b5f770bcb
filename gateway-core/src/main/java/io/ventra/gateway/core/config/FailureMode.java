package io.ventra.gateway.core.config;

/**
 * Says what a quota does when its store cannot answer in time (Redis down, hung, or failing over). Set per store
 * with {@code store.on-failure} and override it per plan or endpoint quota with {@code on-failure}. Has no effect
 * on the memory store, which cannot fail.
 */
public enum FailureMode {
    /** Let the request through, with no rate-limit headers, since nothing was counted. */
    ALLOW,
    /** Refuse the request with 503 and {@code Retry-After}; never a 429, since the client did nothing wrong. */
    DENY,
    /**
     * Decide from an in-process bucket sized {@code limit / store.expected-instances} (at least 1), so the fleet
     * as a whole stays near the limit until the store answers again. The default.
     */
    LOCAL
}
