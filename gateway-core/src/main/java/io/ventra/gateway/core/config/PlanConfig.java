package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A named tier. Either limited by a bucket or unlimited (then no plan bucket is ever touched).
 *
 * @param name           plan name as written in YAML
 * @param limit          the plan bucket, empty when the plan is unlimited
 * @param endpointQuotas whether endpoint quotas apply to accounts on this plan (default true)
 * @param onFailure      what the plan bucket does when the store cannot answer; empty means the store's setting
 * @param shadow         whether the plan bucket only counts (would-be refusals pass, marked); default false
 */
public record PlanConfig(
        String name, Optional<LimitConfig> limit, boolean endpointQuotas, Optional<FailureMode> onFailure,
        boolean shadow) {
    public PlanConfig {
        requireNonNull(name, "name");
        requireNonNull(limit, "limit");
        requireNonNull(onFailure, "onFailure");
        if (limit.isEmpty() && (onFailure.isPresent() || shadow)) {
            throw new IllegalArgumentException("plan " + name + ": on-failure or shadow with no limit "
                    + "(expected: neither on an unlimited plan)");
        }
    }

    /** Creates a plan that follows the store's failure mode and enforces its limit. */
    public PlanConfig(String name, Optional<LimitConfig> limit, boolean endpointQuotas) {
        this(name, limit, endpointQuotas, Optional.empty(), false);
    }

    public boolean isUnlimited() {
        return limit.isEmpty();
    }
}
