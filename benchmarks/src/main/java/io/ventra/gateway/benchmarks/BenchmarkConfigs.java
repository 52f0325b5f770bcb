package io.ventra.gateway.benchmarks;

import io.ventra.gateway.core.config.ApiKeyEntry;
import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.core.config.EndpointQuotaConfig;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.IdentityConfig;
import io.ventra.gateway.core.config.IdentityConfig.AnonymousPolicy;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.PlanConfig;
import io.ventra.gateway.core.config.ProxyConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.config.RouteConfig;
import io.ventra.gateway.core.config.ServerConfig;
import io.ventra.gateway.core.config.StoreConfig;
import io.ventra.gateway.core.path.PathPattern;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the configuration every benchmark shares: 50 routes, 8 endpoint quotas, the demo plans plus a
 * {@code bench} plan too large to ever refuse, {@code accounts} API keys on that plan, and one key on a plan
 * that refuses almost everything.
 *
 * <p>The route table is laid out like a real one, most specific first and a catch-all last:
 * 16 × {@code /api/v1/<service>/**}, 16 × {@code /api/v2/<service>/<id>/items/**} (the id a one-segment
 * wildcard), 16 × {@code /internal/<service>/<id>}, {@code /health}, {@code /**}; all to one upstream. The
 * request paths below hit the first route, the 27th, and the catch-all (a full scan).
 */
final class BenchmarkConfigs {
    static final String BENCH_PLAN = "bench";
    /** A key on the {@code tiny} plan (1 request per hour): after its first request, every one is refused. */
    static final String LIMITED_KEY = "bench-limited-key";
    static final String HEADER = "X-Api-Key";
    static final String UPSTREAM_HOST = "127.0.0.1";
    static final int UPSTREAM_PORT = 9000;

    /** Matches route 1; plan bucket only. */
    static final String FIRST_ROUTE_TARGET = "/api/v1/users/42";
    /** Matches route 27 and the {@code orders-read} endpoint quota; plan and endpoint buckets. */
    static final String MID_ROUTE_TARGET = "/api/v2/orders/12345/items/7?expand=true";
    /** Matches only the catch-all, after trying the other 49 routes. */
    static final String CATCH_ALL_TARGET = "/static/img/logo.png";

    private static final List<String> SERVICES = List.of(
            "users", "accounts", "catalog", "discovery", "sourcing", "inventory", "pricing", "search",
            "carts", "payments", "orders", "shipping", "returns", "reviews", "notifications", "reports");
    private static final long NEVER_EMPTY = 1_000_000_000L;

    private BenchmarkConfigs() {
    }

    /** Returns the config with {@code accounts} keys named {@link #key(int)}, all on the bench plan. */
    static GatewayConfig config(int accounts) {
        Map<String, PlanConfig> plans = plans();
        List<RouteConfig> routes = routes();
        Map<String, EndpointQuotaConfig> endpoints = endpoints();
        List<ApiKeyEntry> keys = new ArrayList<>(accounts);
        for (int i = 0; i < accounts; i++) {
            keys.add(new ApiKeyEntry(sha256(key(i)), account(i), BENCH_PLAN));
        }
        keys.add(new ApiKeyEntry(sha256(LIMITED_KEY), "limited", "tiny"));
        IdentityConfig identity = new IdentityConfig(HEADER, keys, AnonymousPolicy.REJECT, Optional.empty());
        ServerConfig server = new ServerConfig("127.0.0.1", 0, "127.0.0.1", 0, Duration.ofSeconds(1), 1);
        return new GatewayConfig(server, ProxyConfig.DEFAULT, StoreConfig.MEMORY, identity, plans, endpoints,
                routes, ConfigLoader.DEFAULT_SECURITY_HEADERS);
    }

    /** Returns the API key of account {@code i}. */
    static String key(int i) {
        return "bench-key-" + i;
    }

    static String account(int i) {
        return "acct-" + i;
    }

    /** Returns the bench plan's bucket shape, for baselines that need the same numbers. */
    static LimitConfig benchLimit() {
        return new LimitConfig(BENCH_PLAN, NEVER_EMPTY, Duration.ofMinutes(1), RefillMode.GREEDY);
    }

    private static Map<String, PlanConfig> plans() {
        Map<String, PlanConfig> plans = new LinkedHashMap<>();
        plans.put("free", new PlanConfig("free", Optional.of(limit("free", 30)), true));
        plans.put("pro", new PlanConfig("pro", Optional.of(limit("pro", 120)), true));
        plans.put("enterprise", new PlanConfig("enterprise", Optional.empty(), true));
        plans.put("tiny", new PlanConfig("tiny", Optional.of(new LimitConfig("tiny", 1, Duration.ofHours(1),
                RefillMode.GREEDY)), true));
        plans.put(BENCH_PLAN, new PlanConfig(BENCH_PLAN, Optional.of(benchLimit()), true));
        return plans;
    }

    private static List<RouteConfig> routes() {
        List<RouteConfig> routes = new ArrayList<>(50);
        for (String service : SERVICES) {
            routes.add(route("/api/v1/" + service + "/**"));
        }
        for (String service : SERVICES) {
            routes.add(route("/api/v2/" + service + "/*/items/**"));
        }
        for (String service : SERVICES) {
            routes.add(route("/internal/" + service + "/*"));
        }
        routes.add(route("/health"));
        routes.add(route("/**"));
        return routes;
    }

    private static Map<String, EndpointQuotaConfig> endpoints() {
        Map<String, EndpointQuotaConfig> endpoints = new LinkedHashMap<>();
        endpoint(endpoints, "discovery", "/api/v1/discovery/**", Set.of(), 5);
        endpoint(endpoints, "sourcing", "/api/v1/sourcing/**", Set.of(), 3);
        endpoint(endpoints, "search", "/api/v1/search/**", Set.of("GET"), 60);
        endpoint(endpoints, "payments-write", "/api/v1/payments/**", Set.of("POST", "PUT"), 10);
        endpoint(endpoints, "orders-write", "/api/v2/orders/**", Set.of("POST", "PUT", "DELETE"), 20);
        endpoint(endpoints, "orders-read", "/api/v2/orders/**", Set.of("GET"), NEVER_EMPTY);
        endpoint(endpoints, "reports", "/api/v1/reports/**", Set.of(), 2);
        endpoint(endpoints, "internal", "/internal/**", Set.of(), 100);
        return endpoints;
    }

    private static void endpoint(Map<String, EndpointQuotaConfig> endpoints, String name, String path,
            Set<String> methods, long limit) {
        endpoints.put(name, new EndpointQuotaConfig(name, PathPattern.parse(path), methods, Set.of(),
                limit(name, limit)));
    }

    private static LimitConfig limit(String name, long limit) {
        return new LimitConfig(name, limit, Duration.ofMinutes(1), RefillMode.GREEDY);
    }

    private static RouteConfig route(String path) {
        return new RouteConfig(PathPattern.parse(path), URI.create("http://" + UPSTREAM_HOST + ":" + UPSTREAM_PORT));
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
