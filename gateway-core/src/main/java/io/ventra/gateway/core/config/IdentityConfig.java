package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * How callers are identified.
 *
 * @param apiKeyHeader  request header carrying the API key (default {@code X-Api-Key})
 * @param keys          the known keys, loaded from the key file
 * @param anonymous     what happens to requests without a key
 * @param anonymousPlan the plan for anonymous callers, present when {@code anonymous} is {@code BY_IP}
 */
public record IdentityConfig(
        String apiKeyHeader, List<ApiKeyEntry> keys, AnonymousPolicy anonymous, Optional<String> anonymousPlan) {
    public IdentityConfig {
        requireNonNull(apiKeyHeader, "apiKeyHeader");
        keys = List.copyOf(keys);
        requireNonNull(anonymous, "anonymous");
        requireNonNull(anonymousPlan, "anonymousPlan");
    }

    /** Says what happens to a request that carries no API key. */
    public enum AnonymousPolicy {
        /** Answer 401. The default. */
        REJECT,
        /** Limit per client IP address under {@code anonymous-plan}. */
        BY_IP
    }
}
