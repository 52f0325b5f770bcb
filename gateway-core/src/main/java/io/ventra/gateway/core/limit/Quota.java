package io.ventra.gateway.core.limit;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.LimitConfig;

/**
 * One bucket an account must pass: its plan bucket or an endpoint-quota bucket.
 *
 * @param scope  whether it is the plan's or an endpoint quota's bucket
 * @param limit  the bucket's shape
 */
public record Quota(Scope scope, LimitConfig limit) {
    public Quota {
        requireNonNull(scope, "scope");
        requireNonNull(limit, "limit");
    }

    /** Returns the bucket's name within an account, e.g. {@code plan:free} or {@code endpoint:discovery}. */
    public String bucketName() {
        return scope.prefix + limit.name();
    }

    /** Says which kind of limit a bucket belongs to. */
    public enum Scope {
        PLAN("plan:"),
        ENDPOINT("endpoint:");

        private final String prefix;

        Scope(String prefix) {
            this.prefix = prefix;
        }
    }
}
