package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A named tier. Either limited by a bucket or unlimited (then no plan bucket is ever touched).
 *
 * @param name           plan name as written in YAML
 * @param limit          the plan bucket, empty when the plan is unlimited
 * @param endpointQuotas whether endpoint quotas apply to accounts on this plan (default true)
 */
public record PlanConfig(String name, Optional<LimitConfig> limit, boolean endpointQuotas) {
    public PlanConfig {
        requireNonNull(name, "name");
        requireNonNull(limit, "limit");
    }

    public boolean isUnlimited() {
        return limit.isEmpty();
    }
}
