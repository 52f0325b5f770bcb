package io.ventra.gateway.proxy.reload;

import io.ventra.gateway.core.config.ApiKeyEntry;
import io.ventra.gateway.core.config.Durations;
import io.ventra.gateway.core.config.EndpointQuotaConfig;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.PlanConfig;
import io.ventra.gateway.core.config.RouteConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Describes what a reload changes, for the log: plans and endpoint quotas added, removed or changed, routes, the
 * number of API keys added and removed (never the keys or their hashes), and identity and header settings.
 */
final class ConfigDiff {
    private ConfigDiff() {
    }

    /** Returns one line per change from {@code before} to {@code after}; empty when nothing changed. */
    static List<String> of(GatewayConfig before, GatewayConfig after) {
        List<String> changes = new ArrayList<>();
        named(changes, "plan", before.plans(), after.plans(), ConfigDiff::describe);
        named(changes, "endpoint quota", before.endpoints(), after.endpoints(), ConfigDiff::describe);
        routes(changes, before.routes(), after.routes());
        keys(changes, before.identity().keys(), after.identity().keys());
        if (!before.identity().apiKeyHeader().equals(after.identity().apiKeyHeader())
                || before.identity().anonymous() != after.identity().anonymous()
                || !before.identity().anonymousPlan().equals(after.identity().anonymousPlan())) {
            changes.add("identity settings changed");
        }
        if (!before.securityHeaders().equals(after.securityHeaders())) {
            changes.add("security headers changed");
        }
        return changes;
    }

    private static <T> void named(List<String> changes, String kind, Map<String, T> before, Map<String, T> after,
            Function<T, String> describe) {
        before.forEach((name, old) -> {
            T now = after.get(name);
            if (now == null) {
                changes.add(kind + " '" + name + "' removed (was " + describe.apply(old) + ")");
            } else if (!old.toString().equals(now.toString())) {
                // Compared by their text: records whose path patterns are equal but not the same object.
                String from = describe.apply(old);
                String to = describe.apply(now);
                changes.add(kind + " '" + name + "' changed: " + (from.equals(to) ? old + " -> " + now
                        : from + " -> " + to));
            }
        });
        after.forEach((name, now) -> {
            if (!before.containsKey(name)) {
                changes.add(kind + " '" + name + "' added: " + describe.apply(now));
            }
        });
    }

    private static String describe(PlanConfig plan) {
        String limit = plan.limit().map(ConfigDiff::describe).orElse("unlimited");
        return plan.endpointQuotas() ? limit : limit + ", no endpoint quotas";
    }

    private static String describe(EndpointQuotaConfig endpoint) {
        String text = describe(endpoint.limit()) + " on " + endpoint.path();
        if (!endpoint.methods().isEmpty()) {
            text += " for " + String.join(",", endpoint.methods());
        }
        if (!endpoint.plans().isEmpty()) {
            text += " on plans " + String.join(",", endpoint.plans());
        }
        return text;
    }

    private static String describe(LimitConfig limit) {
        return limit.limit() + " per " + Durations.format(limit.period()) + " ("
                + limit.refill().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    private static void routes(List<String> changes, List<RouteConfig> before, List<RouteConfig> after) {
        List<String> old = before.stream().map(ConfigDiff::describe).toList();
        List<String> now = after.stream().map(ConfigDiff::describe).toList();
        if (old.equals(now)) {
            return;
        }
        for (String route : old) {
            if (!now.contains(route)) {
                changes.add("route removed: " + route);
            }
        }
        for (String route : now) {
            if (!old.contains(route)) {
                changes.add("route added: " + route);
            }
        }
        if (new HashSet<>(old).equals(new HashSet<>(now))) {
            changes.add("routes reordered");
        }
    }

    private static String describe(RouteConfig route) {
        return route.path() + " -> " + route.upstream();
    }

    private static void keys(List<String> changes, List<ApiKeyEntry> before, List<ApiKeyEntry> after) {
        Set<String> old = keySet(before);
        Set<String> now = keySet(after);
        long added = now.stream().filter(k -> !old.contains(k)).count();
        long removed = old.stream().filter(k -> !now.contains(k)).count();
        if (added > 0 || removed > 0) {
            changes.add("API keys: " + added + " added or changed, " + removed + " removed or changed, "
                    + now.size() + " in total");
        }
    }

    private static Set<String> keySet(List<ApiKeyEntry> keys) {
        Set<String> set = new HashSet<>();
        for (ApiKeyEntry key : keys) {
            // Compared in memory only; neither hashes nor accounts are logged.
            set.add(HexFormat.of().formatHex(key.sha256()) + "/" + key.account() + "/" + key.plan());
        }
        return set;
    }
}
