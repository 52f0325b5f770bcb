package io.ventra.gateway.core.limit;

import io.ventra.gateway.core.config.EndpointQuotaConfig;
import io.ventra.gateway.core.config.FailureMode;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.PlanConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Works out which quotas a request must pass: the endpoint quotas whose path and method cover it (unless the
 * plan opts out), then the plan's own bucket (unless the plan is unlimited). Each quota carries its failure mode
 * (its own, else the store's) and whether it is in shadow mode.
 */
public final class LimitPolicy {
    private final List<EndpointQuotaConfig> endpoints;
    private final Map<String, Quota> endpointQuotas = new HashMap<>();
    private final Map<String, Quota> planQuotas = new HashMap<>();

    public LimitPolicy(GatewayConfig config) {
        this.endpoints = List.copyOf(config.endpoints().values());
        FailureMode storeDefault = config.store().onFailure();
        for (EndpointQuotaConfig endpoint : endpoints) {
            endpointQuotas.put(endpoint.name(), new Quota(Quota.Scope.ENDPOINT, endpoint.limit(),
                    endpoint.onFailure().orElse(storeDefault), endpoint.shadow()));
        }
        for (PlanConfig plan : config.plans().values()) {
            plan.limit().ifPresent(limit -> planQuotas.put(plan.name(), new Quota(Quota.Scope.PLAN, limit,
                    plan.onFailure().orElse(storeDefault), plan.shadow())));
        }
    }

    /** Returns the quotas for a request, endpoint quotas first; empty when nothing limits it. */
    public List<Quota> quotas(PlanConfig plan, String method, String normalizedPath) {
        List<Quota> quotas = new ArrayList<>(2);
        for (EndpointQuotaConfig endpoint : endpoints) {
            if (endpoint.appliesTo(plan) && endpoint.covers(method, normalizedPath)) {
                quotas.add(endpointQuotas.get(endpoint.name()));
            }
        }
        Quota planQuota = planQuotas.get(plan.name());
        if (planQuota != null) {
            quotas.add(planQuota);
        }
        return quotas;
    }
}
