package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The whole validated configuration. Built by {@link ConfigLoader}; every value in it has been checked, so a
 * config that exists is a config that is enforced.
 *
 * @param server          listeners and shutdown
 * @param proxy           proxy limits and upstream timeouts
 * @param store           where buckets live
 * @param identity        how callers are identified
 * @param plans           plans by name, in file order
 * @param endpoints       endpoint quotas by name, in file order
 * @param routes          routes in file order
 * @param securityHeaders response headers added to every response, in order; name to value
 */
public record GatewayConfig(
        ServerConfig server,
        ProxyConfig proxy,
        StoreConfig store,
        IdentityConfig identity,
        Map<String, PlanConfig> plans,
        Map<String, EndpointQuotaConfig> endpoints,
        List<RouteConfig> routes,
        Map<String, String> securityHeaders) {
    public GatewayConfig {
        requireNonNull(server, "server");
        requireNonNull(proxy, "proxy");
        requireNonNull(store, "store");
        requireNonNull(identity, "identity");
        plans = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(plans));
        endpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
        routes = List.copyOf(routes);
        securityHeaders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(securityHeaders));
    }

    /** Returns a copy listening on other ports; tests use port 0 to get free ones. */
    public GatewayConfig withPorts(int port, int adminPort) {
        return new GatewayConfig(server.withPorts(port, adminPort), proxy, store, identity, plans, endpoints,
                routes, securityHeaders);
    }
}
