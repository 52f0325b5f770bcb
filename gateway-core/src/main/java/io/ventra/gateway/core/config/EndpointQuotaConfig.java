package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.path.PathPattern;
import java.util.Optional;
import java.util.Set;

/**
 * A stricter per-account limit on the requests whose path matches {@code path}.
 *
 * @param name      quota name (e.g. {@code discovery})
 * @param path      the paths it covers
 * @param methods   HTTP methods it covers; empty means every method
 * @param plans     plans it applies to; empty means every plan that does not opt out
 * @param limit     the bucket
 * @param onFailure what the bucket does when the store cannot answer; empty means the store's setting
 * @param shadow    whether the bucket only counts (would-be refusals pass, marked); default false
 */
public record EndpointQuotaConfig(
        String name, PathPattern path, Set<String> methods, Set<String> plans, LimitConfig limit,
        Optional<FailureMode> onFailure, boolean shadow) {
    public EndpointQuotaConfig {
        requireNonNull(name, "name");
        requireNonNull(path, "path");
        methods = Set.copyOf(methods);
        plans = Set.copyOf(plans);
        requireNonNull(limit, "limit");
        requireNonNull(onFailure, "onFailure");
    }

    /** Creates an enforced quota that follows the store's failure mode. */
    public EndpointQuotaConfig(String name, PathPattern path, Set<String> methods, Set<String> plans,
            LimitConfig limit) {
        this(name, path, methods, plans, limit, Optional.empty(), false);
    }

    /** Tells whether this quota covers a request with the given method and normalized path. */
    public boolean covers(String method, String normalizedPath) {
        return (methods.isEmpty() || methods.contains(method.toUpperCase(java.util.Locale.ROOT)))
                && path.matches(normalizedPath);
    }

    /** Tells whether this quota applies to accounts on the given plan. */
    public boolean appliesTo(PlanConfig plan) {
        return plan.endpointQuotas() && (plans.isEmpty() || plans.contains(plan.name()));
    }
}
