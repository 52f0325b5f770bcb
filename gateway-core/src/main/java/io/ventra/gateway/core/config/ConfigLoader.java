package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ventra.gateway.core.config.IdentityConfig.AnonymousPolicy;
import io.ventra.gateway.core.path.PathPattern;
import io.ventra.gateway.core.store.redis.RedisUris;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates the gateway's YAML configuration and its API-key file. Binding is strict: unknown
 * settings, missing fields, bad durations, limits below 1, unknown plan names and duplicate keys are errors,
 * each reported with its YAML path. Every error in the file is reported at once.
 */
public final class ConfigLoader {
    /** The security headers sent when the YAML does not change them. */
    public static final Map<String, String> DEFAULT_SECURITY_HEADERS = defaultSecurityHeaders();

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    private static final long MAX_LIMIT = 1_000_000_000_000L;
    private static final Duration MAX_PERIOD = Duration.ofDays(3660);

    private static final Set<String> ROOT_KEYS = Set.of(
            "server", "proxy", "store", "identity", "plans", "endpoints", "routes", "security-headers");
    private static final Set<String> SERVER_KEYS = Set.of(
            "bind", "port", "admin-bind", "admin-port", "shutdown-grace", "drain-delay", "io-threads");
    private static final Set<String> PROXY_KEYS = Set.of(
            "connect-timeout", "response-timeout", "pool-idle-timeout", "pool-max-idle", "pool-max-connections",
            "max-initial-line", "max-header-size", "max-body-size", "header-read-timeout", "idle-timeout",
            "max-connections", "max-requests-per-connection", "trusted-proxies");
    private static final Set<String> STORE_KEYS = Set.of(
            "type", "max-buckets", "redis", "on-failure", "expected-instances");
    private static final Set<String> REDIS_KEYS = Set.of("uri", "mode", "master", "timeout", "prefix");
    private static final Pattern KEY_PREFIX = Pattern.compile("[!-z|~]{0,64}");
    private static final Set<String> IDENTITY_KEYS = Set.of("api-keys", "anonymous", "anonymous-plan");
    private static final Set<String> API_KEYS_KEYS = Set.of("header", "file");
    private static final Set<String> PLAN_KEYS = Set.of(
            "limit", "period", "unlimited", "refill", "endpoint-quotas", "on-failure", "shadow");
    private static final Set<String> ENDPOINT_KEYS = Set.of(
            "path", "limit", "period", "refill", "methods", "plans", "on-failure", "shadow");
    private static final Set<String> ROUTE_KEYS = Set.of("path", "upstream");
    private static final Set<String> KEY_FILE_KEYS = Set.of("keys");
    private static final Set<String> KEY_KEYS = Set.of("sha256", "account", "plan");

    private final Function<String, String> environment;

    private ConfigLoader(Function<String, String> environment) {
        this.environment = environment;
    }

    /** Returns a loader that expands {@code ${VAR}} from the process environment. */
    public static ConfigLoader fromEnvironment() {
        return new ConfigLoader(System::getenv);
    }

    /** Returns a loader that expands {@code ${VAR}} from the given lookup (tests, embedding). */
    public static ConfigLoader withEnvironment(Function<String, String> environment) {
        return new ConfigLoader(requireNonNull(environment, "environment"));
    }

    /**
     * Loads {@code file}; the key file is resolved relative to its folder.
     *
     * @throws ConfigException listing every problem, each with its YAML path
     */
    public GatewayConfig load(Path file) {
        requireNonNull(file, "file");
        Path base = file.toAbsolutePath().getParent();
        return parse(read(file, file.toString()), file.toString(), base);
    }

    /**
     * Parses YAML text; {@code baseDir} resolves the key file.
     *
     * @throws ConfigException listing every problem, each with its YAML path
     */
    public GatewayConfig parse(String yaml, String sourceName, Path baseDir) {
        List<String> errors = new ArrayList<>();
        EnvExpander env = new EnvExpander(environment);
        YamlNode root = new YamlNode(readTree(yaml, sourceName), "", errors, env);
        if (root.isMissing() || !root.isObject()) {
            throw new ConfigException(sourceName + ": expected a map of settings (server, plans, routes, ...)");
        }
        root.expectObject(ROOT_KEYS);

        ServerConfig server = server(root.get("server"));
        ProxyConfig proxy = proxy(root.get("proxy"));
        StoreConfig store = store(root.get("store"));
        Map<String, PlanConfig> plans = plans(root.get("plans"));
        List<RouteConfig> routes = routes(root.get("routes"));
        Set<String> planNames = declaredPlans(root.get("plans"));
        Map<String, EndpointQuotaConfig> endpoints = endpoints(root.get("endpoints"), planNames, routes);
        IdentityConfig identity = identity(root.get("identity"), planNames, baseDir, errors, env);
        Map<String, String> headers = securityHeaders(root.get("security-headers"));

        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new GatewayConfig(server, proxy, store, identity, plans, endpoints, routes, headers);
    }

    private static ServerConfig server(YamlNode node) {
        ServerConfig d = ServerConfig.DEFAULT;
        if (!node.expectObject(SERVER_KEYS)) {
            return d;
        }
        return new ServerConfig(
                node.get("bind").text(d.bind()),
                (int) node.get("port").number(0, 65535, d.port()),
                node.get("admin-bind").text(d.adminBind()),
                (int) node.get("admin-port").number(0, 65535, d.adminPort()),
                node.get("shutdown-grace").duration(Duration.ZERO, Duration.ofHours(1), d.shutdownGrace()),
                (int) node.get("io-threads").number(0, 1024, d.ioThreads()),
                node.get("drain-delay").duration(Duration.ZERO, Duration.ofMinutes(10), d.drainDelay()));
    }

    private static ProxyConfig proxy(YamlNode node) {
        ProxyConfig d = ProxyConfig.DEFAULT;
        if (!node.expectObject(PROXY_KEYS)) {
            return d;
        }
        Duration ms = Duration.ofMillis(1);
        return new ProxyConfig(
                node.get("connect-timeout").duration(ms, Duration.ofMinutes(5), d.connectTimeout()),
                node.get("response-timeout").duration(ms, Duration.ofHours(1), d.responseTimeout()),
                node.get("pool-idle-timeout").duration(ms, Duration.ofHours(1), d.poolIdleTimeout()),
                (int) node.get("pool-max-idle").number(0, 100_000, d.poolMaxIdle()),
                (int) node.get("pool-max-connections").number(1, 100_000, d.poolMaxConnections()),
                (int) node.get("max-initial-line").number(256, 1 << 20, d.maxInitialLineBytes()),
                (int) node.get("max-header-size").number(1024, 1 << 20, d.maxHeaderBytes()),
                node.get("max-body-size").number(1, 1L << 40, d.maxBodyBytes()),
                node.get("header-read-timeout").duration(ms, Duration.ofMinutes(10), d.headerReadTimeout()),
                node.get("idle-timeout").duration(ms, Duration.ofHours(1), d.idleTimeout()),
                (int) node.get("max-connections").number(1, 10_000_000, d.maxConnections()),
                (int) node.get("max-requests-per-connection").number(1, 100_000_000, d.maxRequestsPerConnection()),
                trustedProxies(node.get("trusted-proxies")));
    }

    private static List<Cidr> trustedProxies(YamlNode node) {
        List<Cidr> blocks = new ArrayList<>();
        for (YamlNode item : node.items()) {
            item.text().ifPresent(text -> {
                try {
                    blocks.add(Cidr.parse(text));
                } catch (IllegalArgumentException e) {
                    item.error(e.getMessage());
                }
            });
        }
        return blocks;
    }

    private static StoreConfig store(YamlNode node) {
        if (!node.expectObject(STORE_KEYS)) {
            return StoreConfig.MEMORY;
        }
        StoreConfig.Type type = node.get("type").choice(StoreConfig.Type.class, StoreConfig.Type.MEMORY);
        long maxBuckets = node.get("max-buckets").number(1000, 1_000_000_000, StoreConfig.MEMORY.maxBuckets());
        FailureMode onFailure = node.get("on-failure").choice(FailureMode.class, FailureMode.LOCAL);
        int expectedInstances = (int) node.get("expected-instances").number(1, 10_000, 1);
        YamlNode redisNode = node.get("redis");
        if (type != StoreConfig.Type.REDIS) {
            if (!redisNode.isMissing()) {
                redisNode.error("only used with type: redis (expected: type: redis, or no redis settings)");
            }
            return new StoreConfig(type, maxBuckets, Optional.empty(), onFailure, expectedInstances);
        }
        if (redisNode.isMissing()) {
            redisNode.error("required with type: redis (expected: { uri: \"redis://host:6379\" })");
            return StoreConfig.MEMORY;
        }
        return redis(redisNode)
                .map(redis -> new StoreConfig(type, maxBuckets, Optional.of(redis), onFailure, expectedInstances))
                .orElse(StoreConfig.MEMORY);
    }

    private static Optional<RedisStoreConfig> redis(YamlNode node) {
        if (!node.expectObject(REDIS_KEYS)) {
            return Optional.empty();
        }
        String uri = node.get("uri").requiredText();
        Optional<String> master = node.get("master").text();
        Duration timeout = node.get("timeout").duration(Duration.ofMillis(1), Duration.ofMinutes(1),
                RedisStoreConfig.DEFAULT_TIMEOUT);
        String prefix = node.get("prefix").text(RedisStoreConfig.DEFAULT_PREFIX);
        if (!KEY_PREFIX.matcher(prefix).matches()) {
            node.get("prefix").error("not a valid key prefix (expected: at most 64 visible ASCII characters, "
                    + "no '{' or '}', e.g. \"ventra:\")");
            return Optional.empty();
        }
        if (uri == null) {
            return Optional.empty();
        }
        RedisStoreConfig.Mode mode = node.get("mode").choice(RedisStoreConfig.Mode.class, RedisUris.impliedMode(uri));
        Optional<String> error = RedisUris.check(uri, mode, master);
        if (error.isPresent()) {
            // The message names the setting (uri or master) and never repeats the URI, which may hold a password.
            String setting = error.get().substring(0, error.get().indexOf(':'));
            node.get(setting).error(error.get().substring(setting.length() + 2));
            return Optional.empty();
        }
        return Optional.of(new RedisStoreConfig(uri, mode, master, timeout, prefix));
    }

    private static Map<String, PlanConfig> plans(YamlNode node) {
        Map<String, PlanConfig> plans = new LinkedHashMap<>();
        if (node.isMissing()) {
            node.error("required (expected: at least one plan, e.g. free: { limit: 30, period: 1m })");
            return plans;
        }
        node.entries().forEach((name, plan) -> {
            if (!checkName(plan, name) || !plan.expectObject(PLAN_KEYS)) {
                return;
            }
            boolean endpointQuotas = plan.get("endpoint-quotas").bool(true);
            boolean unlimited = plan.get("unlimited").bool(false);
            if (unlimited) {
                for (String conflicting : List.of("limit", "period", "refill", "on-failure", "shadow")) {
                    if (plan.has(conflicting)) {
                        plan.get(conflicting).error("conflicts with unlimited: true (expected: remove one of them)");
                    }
                }
                plans.put(name, new PlanConfig(name, Optional.empty(), endpointQuotas));
                return;
            }
            Optional<FailureMode> onFailure = onFailure(plan);
            boolean shadow = plan.get("shadow").bool(false);
            limit(plan, name).ifPresent(limit -> plans.put(name, new PlanConfig(name, Optional.of(limit),
                    endpointQuotas, onFailure, shadow)));
        });
        if (plans.isEmpty() && node.isObject() && node.entries().isEmpty()) {
            node.error("empty (expected: at least one plan)");
        }
        return plans;
    }

    /**
     * Returns every plan name written in the file, valid or not, so that a plan with a bad setting is reported
     * once, and not also as an unknown plan wherever a key or quota names it.
     */
    private static Set<String> declaredPlans(YamlNode node) {
        return node.isObject() ? node.entries().keySet() : Set.of();
    }

    private static Optional<LimitConfig> limit(YamlNode node, String name) {
        YamlNode limitNode = node.get("limit");
        YamlNode periodNode = node.get("period");
        Optional<Long> limit = Optional.empty();
        if (limitNode.isMissing()) {
            limitNode.error("required (expected: a whole number >= 1; for no limit write unlimited: true)");
        } else {
            limit = limitNode.number(1, MAX_LIMIT);
        }
        Optional<Duration> period = Optional.empty();
        if (periodNode.isMissing()) {
            periodNode.error("required (expected: " + Durations.EXPECTED + ")");
        } else {
            period = periodNode.duration(Duration.ofMillis(1), MAX_PERIOD);
        }
        RefillMode refill = node.get("refill").choice(RefillMode.class, RefillMode.GREEDY);
        if (limit.isEmpty() || period.isEmpty()) {
            return Optional.empty();
        }
        if (period.get().compareTo(Duration.ofNanos(limit.get())) < 0) {
            // bucket4j refills at most one token per nanosecond; a faster limit would fail on the first request
            limitNode.error(limit.get() + " per " + Durations.format(period.get()) + " is more than one token per "
                    + "nanosecond (expected: a smaller limit or a longer period)");
            return Optional.empty();
        }
        return Optional.of(new LimitConfig(name, limit.get(), period.get(), refill));
    }

    private static Optional<FailureMode> onFailure(YamlNode node) {
        YamlNode onFailure = node.get("on-failure");
        return onFailure.isMissing() ? Optional.empty() : Optional.of(onFailure.choice(FailureMode.class,
                FailureMode.LOCAL));
    }

    private static List<RouteConfig> routes(YamlNode node) {
        List<RouteConfig> routes = new ArrayList<>();
        if (node.isMissing()) {
            node.error("required (expected: at least one route, "
                    + "e.g. - { path: /**, upstream: http://127.0.0.1:3000 })");
            return routes;
        }
        for (YamlNode route : node.items()) {
            if (!route.expectObject(ROUTE_KEYS)) {
                route.error("expected a map with path and upstream");
                continue;
            }
            PathPattern path = pattern(route.get("path"));
            URI upstream = upstream(route.get("upstream"));
            if (path != null && upstream != null) {
                routes.add(new RouteConfig(path, upstream));
            }
        }
        if (node.isArray() && node.items().isEmpty()) {
            node.error("empty (expected: at least one route)");
        }
        return routes;
    }

    private static Map<String, EndpointQuotaConfig> endpoints(
            YamlNode node, Set<String> plans, List<RouteConfig> routes) {
        Map<String, EndpointQuotaConfig> endpoints = new LinkedHashMap<>();
        node.entries().forEach((name, endpoint) -> {
            if (!checkName(endpoint, name) || !endpoint.expectObject(ENDPOINT_KEYS)) {
                return;
            }
            PathPattern path = pattern(endpoint.get("path"));
            if (path != null && !routes.isEmpty()
                    && routes.stream().noneMatch(r -> r.path().matches(path.literalPrefix()))) {
                endpoint.get("path").error("'" + path + "' is served by no route (expected: a path some route "
                        + "covers)");
            }
            Set<String> methods = new LinkedHashSet<>();
            for (YamlNode method : endpoint.get("methods").items()) {
                method.text().ifPresent(m -> methods.add(m.toUpperCase(Locale.ROOT)));
            }
            Set<String> planNames = new LinkedHashSet<>();
            for (YamlNode plan : endpoint.get("plans").items()) {
                plan.text().ifPresent(p -> {
                    if (!plans.contains(p)) {
                        plan.error("unknown plan '" + p + "' (expected one of: " + String.join(", ", plans)
                                + ")");
                    }
                    planNames.add(p);
                });
            }
            Optional<LimitConfig> limit = limit(endpoint, name);
            Optional<FailureMode> onFailure = onFailure(endpoint);
            boolean shadow = endpoint.get("shadow").bool(false);
            if (path != null && limit.isPresent()) {
                endpoints.put(name, new EndpointQuotaConfig(name, path, methods, planNames, limit.get(), onFailure,
                        shadow));
            }
        });
        return endpoints;
    }

    private static IdentityConfig identity(YamlNode node, Set<String> plans, Path baseDir,
            List<String> errors, EnvExpander env) {
        if (node.isMissing()) {
            node.error("required (expected: api-keys: { header: X-Api-Key, file: api-keys.yaml })");
            return null;
        }
        node.expectObject(IDENTITY_KEYS);
        YamlNode apiKeys = node.get("api-keys");
        String header = "X-Api-Key";
        List<ApiKeyEntry> keys = List.of();
        if (apiKeys.isMissing()) {
            apiKeys.error("required (expected: { header: X-Api-Key, file: api-keys.yaml })");
        } else if (apiKeys.expectObject(API_KEYS_KEYS)) {
            header = apiKeys.get("header").text("X-Api-Key");
            if (!HEADER_NAME.matcher(header).matches()) {
                apiKeys.get("header").error("'" + header + "' (expected: an HTTP header name)");
            }
            String file = apiKeys.get("file").requiredText();
            if (file != null) {
                keys = keyFile(apiKeys.get("file"), resolve(baseDir, file), plans, errors, env);
            }
        }
        AnonymousPolicy anonymous = node.get("anonymous").choice(AnonymousPolicy.class, AnonymousPolicy.REJECT);
        Optional<String> anonymousPlan = node.get("anonymous-plan").text();
        if (anonymous == AnonymousPolicy.BY_IP && anonymousPlan.isEmpty()) {
            node.get("anonymous-plan").error("required when anonymous is by-ip (expected: a plan name)");
        }
        anonymousPlan.ifPresent(p -> {
            if (!plans.contains(p)) {
                node.get("anonymous-plan").error("unknown plan '" + p + "' (expected one of: "
                        + String.join(", ", plans) + ")");
            }
        });
        return new IdentityConfig(header, keys, anonymous, anonymousPlan);
    }

    private static List<ApiKeyEntry> keyFile(YamlNode fileNode, Path file, Set<String> plans,
            List<String> errors, EnvExpander env) {
        String text;
        try {
            text = read(file, file.toString());
        } catch (ConfigException e) {
            fileNode.error(e.getMessage());
            return List.of();
        }
        JsonNode tree;
        try {
            tree = readTree(text, file.getFileName().toString());
        } catch (ConfigException e) {
            fileNode.error(e.getMessage());
            return List.of();
        }
        YamlNode root = new YamlNode(tree, file.getFileName().toString(), errors, env);
        List<ApiKeyEntry> keys = new ArrayList<>();
        if (root.isMissing() || !root.expectObject(KEY_FILE_KEYS)) {
            root.error("expected keys: [ { sha256: <hex>, account: <name>, plan: <plan> } ]");
            return keys;
        }
        Map<String, String> seenHashes = new HashMap<>();
        Map<String, String> accountPlans = new HashMap<>();
        for (YamlNode key : root.get("keys").items()) {
            if (!key.expectObject(KEY_KEYS)) {
                continue;
            }
            String hex = key.get("sha256").requiredText();
            String account = key.get("account").requiredText();
            String plan = key.get("plan").requiredText();
            boolean ok = hex != null && account != null && plan != null;
            if (hex != null && !SHA256_HEX.matcher(hex).matches()) {
                key.get("sha256").error("not 64 hex digits (expected: the output of 'ventra-gateway hash-key')");
                ok = false;
            } else if (hex != null && seenHashes.putIfAbsent(hex.toLowerCase(Locale.ROOT), key.path()) != null) {
                key.get("sha256").error("duplicate key (also at " + seenHashes.get(hex.toLowerCase(Locale.ROOT))
                        + ")");
                ok = false;
            }
            if (plan != null && !plans.contains(plan)) {
                key.get("plan").error("unknown plan '" + plan + "' (expected one of: "
                        + String.join(", ", plans) + ")");
                ok = false;
            }
            if (account != null && plan != null) {
                String earlier = accountPlans.putIfAbsent(account, plan);
                if (earlier != null && !earlier.equals(plan)) {
                    key.get("plan").error("account '" + account + "' is already on plan '" + earlier
                            + "' (expected: one plan per account)");
                    ok = false;
                }
            }
            if (ok) {
                keys.add(new ApiKeyEntry(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)), account, plan));
            }
        }
        return keys;
    }

    private static Map<String, String> securityHeaders(YamlNode node) {
        Map<String, String> headers = new LinkedHashMap<>(DEFAULT_SECURITY_HEADERS);
        node.entries().forEach((name, value) -> {
            if (!HEADER_NAME.matcher(name).matches()) {
                value.error("not a valid header name");
                return;
            }
            String existing = headers.keySet().stream().filter(h -> h.equalsIgnoreCase(name)).findFirst()
                    .orElse(name);
            Optional<String> text = value.text();
            if (text.isEmpty() || text.get().isEmpty() || text.get().equals("false")) {
                headers.remove(existing);
                return;
            }
            if (text.get().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                value.error("contains control characters (expected: a single-line header value)");
                return;
            }
            headers.remove(existing);
            headers.put(name, text.get());
        });
        return headers;
    }

    private static PathPattern pattern(YamlNode node) {
        String text = node.requiredText();
        if (text == null) {
            return null;
        }
        try {
            return PathPattern.parse(text);
        } catch (IllegalArgumentException e) {
            node.error(e.getMessage());
            return null;
        }
    }

    private static URI upstream(YamlNode node) {
        String text = node.requiredText();
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                node.error("'" + text + "' (expected: http://host:port; https upstreams are not supported yet)");
                return null;
            }
            if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
                node.error("'" + text + "' (expected: no path; the request-target is forwarded unchanged)");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            node.error("'" + text + "' (expected: http://host:port)");
            return null;
        }
    }

    private static boolean checkName(YamlNode node, String name) {
        if (!NAME.matcher(name).matches()) {
            node.error("invalid name (expected: letters, digits, '_', '.' or '-', at most 64)");
            return false;
        }
        return true;
    }

    private static Path resolve(Path baseDir, String file) {
        Path path = Path.of(file);
        return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path);
    }

    private static String read(Path file, String name) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")");
        }
    }

    private static JsonNode readTree(String yaml, String sourceName) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            return mapper.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new ConfigException(yamlPath(e, sourceName) + ": " + e.getOriginalMessage() + where);
        }
    }

    private static String yamlPath(JsonProcessingException e, String sourceName) {
        if (e.getProcessor() instanceof JsonParser && ((JsonParser) e.getProcessor()).getParsingContext() != null) {
            String pointer = ((JsonParser) e.getProcessor()).getParsingContext().pathAsPointer().toString();
            if (pointer.length() > 1) {
                return pointer.substring(1).replace('/', '.');
            }
        }
        return sourceName;
    }

    private static Map<String, String> defaultSecurityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Frame-Options", "DENY");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "strict-origin-when-cross-origin");
        headers.put("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        headers.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        headers.put("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
        return java.util.Collections.unmodifiableMap(headers);
    }
}
