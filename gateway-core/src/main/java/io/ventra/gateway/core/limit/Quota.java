package io.ventra.gateway.core.limit;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.FailureMode;
import io.ventra.gateway.core.config.LimitConfig;

/**
 * One bucket an account must pass: its plan bucket or an endpoint-quota bucket.
 *
 * @param scope     whether it is the plan's or an endpoint quota's bucket
 * @param limit     the bucket's shape
 * @param onFailure what to do when the store cannot answer for this bucket
 * @param shadow    whether the bucket only counts: a request it would refuse passes, marked as shadow-limited
 */
public record Quota(Scope scope, LimitConfig limit, FailureMode onFailure, boolean shadow) {
    public Quota {
        requireNonNull(scope, "scope");
        requireNonNull(limit, "limit");
        requireNonNull(onFailure, "onFailure");
    }

    /** Creates an enforced quota that falls back to a local bucket when its store fails. */
    public Quota(Scope scope, LimitConfig limit) {
        this(scope, limit, FailureMode.LOCAL, false);
    }

    /** Returns the bucket's name within an account, e.g. {@code plan:free} or {@code endpoint:discovery}. */
    public String bucketName() {
        return scope.prefix + limit.name();
    }

    /** Returns this quota with another bucket shape and the same behaviour (the local fallback's). */
    public Quota withLimit(LimitConfig newLimit) {
        return new Quota(scope, newLimit, onFailure, shadow);
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
