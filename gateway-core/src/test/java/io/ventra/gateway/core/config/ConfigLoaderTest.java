package io.ventra.gateway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ventra.gateway.core.config.IdentityConfig.AnonymousPolicy;
import io.ventra.gateway.core.identity.ApiKeys;
import io.ventra.gateway.core.testing.TestConfigs;
import io.ventra.gateway.core.testing.TestConfigs.TestKey;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict binding of the gateway YAML and its key file (C20). */
final class ConfigLoaderTest {
    private static final String SERVER = """
            server:   { port: 8080, admin-port: 9090, shutdown-grace: 30s }
            store:    { type: memory }
            identity:
              api-keys: { header: X-Api-Key, file: api-keys.yaml }
              anonymous: reject
            """;
    private static final String PLANS = """
            plans:
              free:       { limit: 30,  period: 1m }
              pro:        { limit: 120, period: 1m }
              enterprise: { unlimited: true }
            """;
    private static final String ENDPOINTS = """
            endpoints:
              discovery: { path: /api/v1/discovery/**, limit: 5, period: 1m }
              sourcing:  { path: /api/v1/sourcing/**,  limit: 3, period: 1m }
            """;
    private static final String ROUTES = """
            routes:
              - { path: /**, upstream: http://127.0.0.1:3000 }
            """;
    /** The example configuration of the README and issue 2. */
    private static final String EXAMPLE = SERVER + PLANS + ENDPOINTS + ROUTES;

    private static final List<TestKey> KEYS = List.of(
            new TestKey("free-a", "acme", "free"),
            new TestKey("pro-a", "initech", "pro"),
            new TestKey("pro-b", "initech", "pro"),
            new TestKey("ent-a", "globex", "enterprise"));

    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>();

    @Test
    void bindsTheExampleConfig() {
        // C20 step 6: the control, a valid config
        GatewayConfig config = load(EXAMPLE);

        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.server().adminPort()).isEqualTo(9090);
        assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.store().type()).isEqualTo(StoreConfig.Type.MEMORY);
        assertThat(config.plans()).containsOnlyKeys("free", "pro", "enterprise");
        assertThat(config.plans().get("free").limit()).contains(
                new LimitConfig("free", 30, Duration.ofMinutes(1), RefillMode.GREEDY));
        assertThat(config.plans().get("pro").limit()).contains(
                new LimitConfig("pro", 120, Duration.ofMinutes(1), RefillMode.GREEDY));
        assertThat(config.plans().get("enterprise").isUnlimited()).isTrue();
        assertThat(config.plans().values()).allSatisfy(plan -> assertThat(plan.endpointQuotas()).isTrue());
        assertThat(config.endpoints()).containsOnlyKeys("discovery", "sourcing");
        EndpointQuotaConfig discovery = config.endpoints().get("discovery");
        assertThat(discovery.path()).hasToString("/api/v1/discovery/**");
        assertThat(discovery.limit()).isEqualTo(
                new LimitConfig("discovery", 5, Duration.ofMinutes(1), RefillMode.GREEDY));
        assertThat(discovery.methods()).isEmpty();
        assertThat(discovery.plans()).isEmpty();
        assertThat(config.endpoints().get("sourcing").limit().limit()).isEqualTo(3);
        assertThat(config.routes()).singleElement().satisfies(route -> {
            assertThat(route.path()).hasToString("/**");
            assertThat(route.upstream()).isEqualTo(URI.create("http://127.0.0.1:3000"));
        });
        assertThat(config.securityHeaders()).isEqualTo(ConfigLoader.DEFAULT_SECURITY_HEADERS);
    }

    @Test
    void bindsTheShippedExampleConfigFromAnyWorkingDirectory() {
        // C20 step 6: the file the README starts the gateway with; its key file sits next to it
        environment.put("UPSTREAM_URL", "http://127.0.0.1:3999");

        GatewayConfig config = loader().load(Path.of("..", "config", "gateway.yaml"));

        assertThat(config.plans().get("free").limit()).contains(
                new LimitConfig("free", 30, Duration.ofMinutes(1), RefillMode.GREEDY));
        assertThat(config.plans().get("enterprise").isUnlimited()).isTrue();
        assertThat(config.endpoints().get("discovery").limit().limit()).isEqualTo(5);
        assertThat(config.routes()).extracting(RouteConfig::upstreamPort).containsExactly(3999);
        assertThat(config.identity().keys()).isNotEmpty();
    }

    @Test
    void readsTheKeyFileRelativeToTheConfigFile() {
        String yaml = EXAMPLE.replace("file: api-keys.yaml", "file: secrets/keys.yaml");
        TestConfigs.write(dir.resolve("conf/secrets/keys.yaml"), TestConfigs.keyFile(KEYS));
        Path file = TestConfigs.write(dir.resolve("conf/gateway.yaml"), yaml);

        GatewayConfig config = loader().load(file);

        IdentityConfig identity = config.identity();
        assertThat(identity.apiKeyHeader()).isEqualTo("X-Api-Key");
        assertThat(identity.anonymous()).isEqualTo(AnonymousPolicy.REJECT);
        assertThat(identity.keys()).hasSize(4);
        assertThat(identity.keys().get(1).account()).isEqualTo("initech");
        assertThat(identity.keys().get(1).plan()).isEqualTo("pro");
        ApiKeys keys = new ApiKeys(identity.keys(), config.plans());
        assertThat(keys.lookup("pro-b").account()).isEqualTo("initech");
        assertThat(keys.lookup("ent-a").plan().isUnlimited()).isTrue();
        assertThat(keys.lookup("nope")).isNull();
    }

    @Test
    void rejectsAPlanWithNoPeriodNamingItsYamlPath() {
        // C20 step 1
        assertThat(errors(withFree("{ limit: 30 }"))).anyMatch(e -> e.startsWith("plans.free.period: required"));
    }

    @Test
    void rejectsAMisspelledSettingNamingItsYamlPath() {
        // C20 step 2
        List<String> errors = errors(withFree("{ limt: 30, period: 1m }"));

        assertThat(errors).anyMatch(e -> e.startsWith("plans.free.limt: unknown setting (expected one of: "));
        assertThat(errors).anyMatch(e -> e.startsWith("plans.free.limit: required"));
    }

    @Test
    void rejectsANegativeLimit() {
        // C20 step 3
        assertThat(errors(withFree("{ limit: -5, period: 1m }")))
                .containsExactly("plans.free.limit: -5 (expected: a whole number from 1 to 1000000000000)");
    }

    @Test
    void rejectsALimitThatIsNotANumber() {
        // C20 step 3
        assertThat(errors(withFree("{ limit: \"abc\", period: 1m }")))
                .containsExactly("plans.free.limit: 'abc' (expected: a whole number from 1 to 1000000000000)");
    }

    @Test
    void rejectsAFractionalLimit() {
        assertThat(errors(withFree("{ limit: 2.5, period: 1m }")))
                .singleElement().asString().startsWith("plans.free.limit: 2.5 (expected: a whole number");
    }

    @Test
    void rejectsAZeroLimitInsteadOfReadingItAsUnlimited() {
        // C11 step 3 and C20: limit 0 never silently disables limiting
        assertThat(errors(withFree("{ limit: 0, period: 1m }")))
                .containsExactly("plans.free.limit: 0 (expected: a whole number from 1 to 1000000000000)");
    }

    @Test
    void acceptsALimitLargerThanAnInt() {
        // C20 step 3: daily and monthly quotas overflow an int, so limits are longs
        GatewayConfig config = load(withFree("{ limit: 2147483648, period: 1m }"));

        assertThat(config.plans().get("free").limit().orElseThrow().limit()).isEqualTo(2_147_483_648L);
    }

    @Test
    void rejectsALimitLargerThanALong() {
        assertThat(errors(withFree("{ limit: 99999999999999999999, period: 1m }")))
                .singleElement().asString().startsWith("plans.free.limit: 99999999999999999999 (expected:");
    }

    @Test
    void rejectsARateAboveOneTokenPerNanosecond() {
        // Such a bucket cannot be built; it must fail at startup, not on the first request.
        assertThat(errors(withFree("{ limit: 2000000, period: 1ms }")))
                .singleElement().asString().startsWith("plans.free.limit: 2000000 per 1ms");
    }

    @Test
    void rejectsAZeroPeriod() {
        // C20 step 3
        assertThat(errors(withFree("{ limit: 30, period: 0s }")))
                .containsExactly("plans.free.period: '0s' (expected: from 1ms to 3660d)");
    }

    @Test
    void rejectsAPeriodWrittenInWords() {
        // C20 step 3
        assertThat(errors(withFree("{ limit: 30, period: \"1 minute\" }"))).containsExactly(
                "plans.free.period: '1 minute' (expected: a whole number followed by ms, s, m, h or d, e.g. 30s "
                        + "or 1m)");
    }

    @Test
    void rejectsAPeriodWithoutAUnit() {
        assertThat(errors(withFree("{ limit: 30, period: 60 }")))
                .singleElement().asString().startsWith("plans.free.period: '60' (expected: a whole number followed");
    }

    @Test
    void rejectsUnlimitedTogetherWithALimit() {
        // C11 step 3: conflicting settings are a startup error
        String yaml = EXAMPLE.replace("enterprise: { unlimited: true }",
                "enterprise: { unlimited: true, limit: 1000 }");

        assertThat(errors(yaml)).containsExactly(
                "plans.enterprise.limit: conflicts with unlimited: true (expected: remove one of them)");
    }

    @Test
    void acceptsUnlimitedFalseWithALimit() {
        GatewayConfig config = load(withFree("{ unlimited: false, limit: 30, period: 1m }"));

        assertThat(config.plans().get("free").isUnlimited()).isFalse();
    }

    @Test
    void reportsABrokenPlanOnlyOnceAndNotAsUnknownWhereKeysAndQuotasNameIt() {
        String yaml = withFree("{ limit: 30, period: 1 minute }")
                .replace("limit: 3, period: 1m }", "limit: 3, period: 1m, plans: [free] }")
                .replace("anonymous: reject", "anonymous: by-ip\n  anonymous-plan: free");

        assertThat(errors(yaml)).containsExactly("plans.free.period: '1 minute' (expected: a whole number followed "
                + "by ms, s, m, h or d, e.g. 30s or 1m)");
    }

    @Test
    void rejectsAnUnknownRefillMode() {
        assertThat(errors(withFree("{ limit: 30, period: 1m, refill: smooth }")))
                .containsExactly("plans.free.refill: 'smooth' (expected one of: greedy, interval)");
    }

    @Test
    void bindsIntervalRefillAndAnOptOutOfEndpointQuotas() {
        GatewayConfig config = load(withFree("{ limit: 30, period: 1m, refill: interval, endpoint-quotas: false }"));

        PlanConfig free = config.plans().get("free");
        assertThat(free.limit().orElseThrow().refill()).isEqualTo(RefillMode.INTERVAL);
        assertThat(free.endpointQuotas()).isFalse();
    }

    @Test
    void rejectsADuplicatePlanNameNamingTheDuplicate() {
        // C20 step 5: Jackson's strict duplicate detection, so the second 'free' cannot silently win
        String yaml = EXAMPLE.replace("  pro:        { limit: 120, period: 1m }",
                "  free:       { limit: 3000, period: 1m }");

        List<String> errors = errors(yaml);

        assertThat(errors).singleElement().asString()
                .isEqualTo("plans.free: Duplicate field 'free' (line 8, column 7)");
    }

    @Test
    void rejectsADuplicateEndpointName() {
        String yaml = EXAMPLE.replace("sourcing:  {", "discovery: {");

        assertThat(errors(yaml)).singleElement().asString().contains("Duplicate field 'discovery'");
    }

    @Test
    void rejectsAnEndpointQuotaForAnUnknownPlan() {
        // C20 step 4
        String yaml = EXAMPLE.replace("limit: 3, period: 1m }", "limit: 3, period: 1m, plans: [free, gold] }");

        assertThat(errors(yaml)).containsExactly(
                "endpoints.sourcing.plans[1]: unknown plan 'gold' (expected one of: free, pro, enterprise)");
    }

    @Test
    void bindsAnEndpointQuotaRestrictedToPlansAndMethods() {
        String yaml = EXAMPLE.replace("limit: 3, period: 1m }",
                "limit: 3, period: 1m, plans: [free], methods: [post, GET] }");

        EndpointQuotaConfig sourcing = load(yaml).endpoints().get("sourcing");

        assertThat(sourcing.plans()).containsExactly("free");
        assertThat(sourcing.methods()).containsExactlyInAnyOrder("POST", "GET");
    }

    @Test
    void rejectsAnEndpointPathThatNoRouteServes() {
        // C20 step 4: a quota on a path no route serves is never enforced
        String yaml = EXAMPLE.replace("- { path: /**,", "- { path: /api/v1/discovery/**,");

        assertThat(errors(yaml)).containsExactly("endpoints.sourcing.path: '/api/v1/sourcing/**' is served by no "
                + "route (expected: a path some route covers)");
    }

    @Test
    void rejectsAKeyOnAnUnknownPlan() {
        List<TestKey> keys = List.of(new TestKey("free-a", "acme", "free"), new TestKey("x", "hooli", "gold"));

        assertThat(errors(EXAMPLE, TestConfigs.keyFile(keys))).containsExactly(
                "api-keys.yaml.keys[1].plan: unknown plan 'gold' (expected one of: free, pro, enterprise)");
    }

    @Test
    void rejectsAKeyWhoseHashIsNotSha256Hex() {
        String keys = """
                keys:
                  - { sha256: abc123, account: acme, plan: free }
                  - { sha256: %s, account: acme, plan: free }
                """.formatted("z".repeat(64));

        assertThat(errors(EXAMPLE, keys)).containsExactly(
                "api-keys.yaml.keys[0].sha256: not 64 hex digits (expected: the output of 'ventra-gateway "
                        + "hash-key')",
                "api-keys.yaml.keys[1].sha256: not 64 hex digits (expected: the output of 'ventra-gateway "
                        + "hash-key')");
    }

    @Test
    void rejectsTheSameKeyTwiceWhateverTheCaseOfItsHex() {
        String hash = ApiKeys.hash("free-a");
        String keys = """
                keys:
                  - { sha256: %s, account: acme, plan: free }
                  - { sha256: %s, account: acme, plan: free }
                """.formatted(hash, hash.toUpperCase(java.util.Locale.ROOT));

        assertThat(errors(EXAMPLE, keys)).containsExactly(
                "api-keys.yaml.keys[1].sha256: duplicate key (also at api-keys.yaml.keys[0])");
    }

    @Test
    void rejectsAnAccountOnTwoPlans() {
        List<TestKey> keys = List.of(new TestKey("k1", "acme", "pro"), new TestKey("k2", "acme", "free"));

        assertThat(errors(EXAMPLE, TestConfigs.keyFile(keys))).containsExactly(
                "api-keys.yaml.keys[1].plan: account 'acme' is already on plan 'pro' (expected: one plan per "
                        + "account)");
    }

    @Test
    void rejectsAKeyWithAMissingOrUnknownField() {
        String keys = """
                keys:
                  - { sha256: %s, plan: free, owner: acme }
                """.formatted(ApiKeys.hash("free-a"));

        List<String> errors = errors(EXAMPLE, keys);

        assertThat(errors).anyMatch(e -> e.startsWith("api-keys.yaml.keys[0].owner: unknown setting"));
        assertThat(errors).contains("api-keys.yaml.keys[0].account: required");
    }

    @Test
    void rejectsAMissingKeyFileNamingTheSetting() {
        String yaml = EXAMPLE.replace("file: api-keys.yaml", "file: no-such-keys.yaml");

        assertThat(errors(yaml)).singleElement().asString()
                .startsWith("identity.api-keys.file: ")
                .contains("no-such-keys.yaml: cannot read (NoSuchFileException");
    }

    @Test
    void rejectsAnUnknownTopLevelSetting() {
        assertThat(errors(EXAMPLE + "limits: { free: 30 }\n"))
                .singleElement().asString().startsWith("limits: unknown setting (expected one of: ");
    }

    @Test
    void rejectsAConfigWithoutPlansOrRoutes() {
        List<String> errors = errors(SERVER);

        assertThat(errors).anyMatch(e -> e.startsWith("plans: required"));
        assertThat(errors).anyMatch(e -> e.startsWith("routes: required"));
    }

    @Test
    void reportsEveryErrorInTheFileAtOnce() {
        String yaml = SERVER.replace("port: 8080", "port: 70000") + """
                plans:
                  free:       { limt: 30, period: 1m }
                  pro:        { limit: 120, period: 1 minute }
                  enterprise: { unlimited: true }
                endpoints:
                  discovery: { path: /api/v1/discovery/**, limit: 0, period: 1m }
                routes:
                  - { path: api, upstream: "ftp://example.com" }
                color: blue
                """;

        ConfigException error = rejected(yaml, TestConfigs.keyFile(KEYS));

        assertThat(error.errors()).anyMatch(e -> e.startsWith("color: unknown setting"))
                .anyMatch(e -> e.startsWith("server.port: 70000 (expected: a whole number from 0 to 65535)"))
                .anyMatch(e -> e.startsWith("plans.free.limt: unknown setting"))
                .anyMatch(e -> e.startsWith("plans.free.limit: required"))
                .anyMatch(e -> e.startsWith("plans.pro.period: '1 minute'"))
                .anyMatch(e -> e.startsWith("endpoints.discovery.limit: 0"))
                .anyMatch(e -> e.startsWith("routes[0].path: 'api' (expected: a path starting with /)"))
                .anyMatch(e -> e.startsWith("routes[0].upstream: 'ftp://example.com'"));
        assertThat(error.getMessage().split("\n")).hasSameSizeAs(error.errors());
    }

    @Test
    void expandsEnvironmentVariablesAndDefaults() {
        environment.put("UPSTREAM", "http://10.0.0.7:8081");
        environment.put("FREE_LIMIT", "45");
        environment.put("EMPTY", "");
        String yaml = EXAMPLE
                .replace("port: 8080", "port: \"${PORT:-8181}\"")
                .replace("http://127.0.0.1:3000", "\"${UPSTREAM}\"")
                .replace("file: api-keys.yaml", "file: \"${KEY_FILE:-api-keys.yaml}\"")
                .replace("{ limit: 30,  period: 1m }", "{ limit: \"${FREE_LIMIT}\", period: \"${FREE_PERIOD:-2m}\" }")
                .replace("admin-port: 9090", "admin-port: \"${EMPTY:-9191}\"");

        GatewayConfig config = load(yaml);

        assertThat(config.server().port()).isEqualTo(8181);
        assertThat(config.server().adminPort()).isEqualTo(9191);
        assertThat(config.routes().get(0).upstream()).isEqualTo(URI.create("http://10.0.0.7:8081"));
        assertThat(config.plans().get("free").limit()).contains(
                new LimitConfig("free", 45, Duration.ofMinutes(2), RefillMode.GREEDY));
        assertThat(config.identity().keys()).hasSize(4);
    }

    @Test
    void rejectsAnUnsetVariableWithoutDefaultNamingItsPath() {
        String yaml = EXAMPLE.replace("http://127.0.0.1:3000", "\"${UPSTREAM_URL}\"");

        assertThat(errors(yaml)).containsExactly("routes[0].upstream: environment variable UPSTREAM_URL is not set "
                + "(expected: set it, or write ${UPSTREAM_URL:-default})");
    }

    @Test
    void expandsVariablesInTheKeyFile() {
        environment.put("ACME_PLAN", "pro");
        String keys = """
                keys:
                  - { sha256: %s, account: acme, plan: "${ACME_PLAN}" }
                """.formatted(ApiKeys.hash("k"));
        TestConfigs.write(dir.resolve("api-keys.yaml"), keys);

        GatewayConfig config = loader().load(TestConfigs.write(dir.resolve("gateway.yaml"), EXAMPLE));

        assertThat(config.identity().keys()).singleElement().satisfies(k -> assertThat(k.plan()).isEqualTo("pro"));
    }

    @Test
    void writesALiteralDollarBraceForTheEscape() {
        environment.put("HOME", "/root");
        String yaml = EXAMPLE + """
                security-headers:
                  X-Note: "costs $${HOME} and ${HOME}, $5 and $$"
                """;

        assertThat(load(yaml).securityHeaders()).containsEntry("X-Note", "costs ${HOME} and /root, $5 and $$");
    }

    @Test
    void doesNotExpandTheValueOfAVariableAgain() {
        environment.put("NOTE", "${SECRET}");
        environment.put("SECRET", "leaked");
        String yaml = EXAMPLE + """
                security-headers:
                  X-Note: "${NOTE}"
                """;

        assertThat(load(yaml).securityHeaders()).containsEntry("X-Note", "${SECRET}");
    }

    @Test
    void rejectsAMalformedVariableReferenceInsteadOfKeepingItLiterally() {
        environment.put("UPSTREAM_URL", "http://10.0.0.7:8081");
        String yaml = EXAMPLE + """
                security-headers:
                  X-Unclosed: "${UPSTREAM_URL"
                  X-Bad-Name: "${upstream-url}"
                  X-Bad-Default: "${UPSTREAM_URL:=x}"
                """;

        assertThat(errors(yaml)).hasSize(3).allSatisfy(error -> assertThat(error)
                .startsWith("security-headers.X-").contains("(expected: ${NAME} or ${NAME:-default}"));
    }

    @Test
    void overridesAndRemovesSecurityHeaders() {
        // C02: the set is configurable, one entry per header name whatever its case
        String yaml = EXAMPLE + """
                security-headers:
                  x-frame-options: SAMEORIGIN
                  Strict-Transport-Security: false
                  Permissions-Policy: ""
                  Content-Security-Policy:
                  Cross-Origin-Resource-Policy: same-site
                """;

        Map<String, String> headers = load(yaml).securityHeaders();

        assertThat(headers).containsOnly(
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("Referrer-Policy", "strict-origin-when-cross-origin"),
                Map.entry("x-frame-options", "SAMEORIGIN"),
                Map.entry("Cross-Origin-Resource-Policy", "same-site"));
    }

    @Test
    void rejectsSecurityHeadersThatCannotBeSent() {
        String yaml = EXAMPLE + """
                security-headers:
                  "Bad Header": x
                  X-Split: "a\\r\\nSet-Cookie: s=1"
                """;

        assertThat(errors(yaml)).containsExactly(
                "security-headers.Bad Header: not a valid header name",
                "security-headers.X-Split: contains control characters (expected: a single-line header value)");
    }

    @Test
    void bindsAnonymousCallersByIpOnAKnownPlan() {
        String yaml = EXAMPLE.replace("anonymous: reject", "anonymous: by-ip\n  anonymous-plan: free");

        IdentityConfig identity = load(yaml).identity();

        assertThat(identity.anonymous()).isEqualTo(AnonymousPolicy.BY_IP);
        assertThat(identity.anonymousPlan()).isEqualTo(Optional.of("free"));
    }

    @Test
    void rejectsAnonymousByIpWithoutAKnownPlan() {
        assertThat(errors(EXAMPLE.replace("anonymous: reject", "anonymous: by-ip")))
                .containsExactly("identity.anonymous-plan: required when anonymous is by-ip (expected: a plan name)");
        assertThat(errors(EXAMPLE.replace("anonymous: reject", "anonymous: by-ip\n  anonymous-plan: gold")))
                .containsExactly("identity.anonymous-plan: unknown plan 'gold' (expected one of: free, pro, "
                        + "enterprise)");
    }

    private GatewayConfig load(String yaml) {
        return load(yaml, TestConfigs.keyFile(KEYS));
    }

    private GatewayConfig load(String yaml, String keyFile) {
        TestConfigs.write(dir.resolve("api-keys.yaml"), keyFile);
        return loader().load(TestConfigs.write(dir.resolve("gateway.yaml"), yaml));
    }

    private List<String> errors(String yaml) {
        return errors(yaml, TestConfigs.keyFile(KEYS));
    }

    private List<String> errors(String yaml, String keyFile) {
        return rejected(yaml, keyFile).errors();
    }

    private ConfigException rejected(String yaml, String keyFile) {
        Throwable thrown = catchThrowable(() -> load(yaml, keyFile));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return (ConfigException) thrown;
    }

    private ConfigLoader loader() {
        return ConfigLoader.withEnvironment(environment::get);
    }

    private static String withFree(String plan) {
        return EXAMPLE.replace("{ limit: 30,  period: 1m }", plan);
    }
}
