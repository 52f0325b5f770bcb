package io.ventra.gateway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ventra.gateway.core.config.RedisStoreConfig.Mode;
import io.ventra.gateway.core.limit.LimitPolicy;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.testing.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding of {@code store.type: redis}, failure modes and shadow mode; errors name their YAML path. */
final class RedisStoreConfigLoaderTest {
    private static final String MEMORY_STORE = "store:    { type: memory }";

    @TempDir
    Path dir;

    private final Map<String, String> environment = new HashMap<>();

    @Test
    void bindsTheIssueExample() {
        StoreConfig store = load("""
                store:
                  type: redis
                  redis: { uri: "${REDIS_URL:-redis://127.0.0.1:6379}", mode: standalone, timeout: 100ms }
                  on-failure: local
                  expected-instances: 3
                """).store();

        assertThat(store.type()).isEqualTo(StoreConfig.Type.REDIS);
        assertThat(store.onFailure()).isEqualTo(FailureMode.LOCAL);
        assertThat(store.expectedInstances()).isEqualTo(3);
        RedisStoreConfig redis = store.redis().orElseThrow();
        assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(redis.mode()).isEqualTo(Mode.STANDALONE);
        assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void takesTheUriFromTheEnvironment() {
        environment.put("REDIS_URL", "rediss://:secret@redis.internal:6380");

        RedisStoreConfig redis = load(
                "store: { type: redis, redis: { uri: \"${REDIS_URL:-redis://127.0.0.1:6379}\" } }")
                .store().redis().orElseThrow();

        assertThat(redis.uri()).isEqualTo("rediss://:secret@redis.internal:6380");
        assertThat(redis.toString()).doesNotContain("secret");
    }

    @Test
    void appliesDefaults() {
        StoreConfig store = load("store: { type: redis, redis: { uri: \"redis://10.0.0.5:6379\" } }").store();

        RedisStoreConfig redis = store.redis().orElseThrow();
        assertThat(redis.mode()).isEqualTo(Mode.STANDALONE);
        assertThat(redis.timeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(redis.prefix()).isEqualTo("ventra:");
        assertThat(redis.master()).isEmpty();
        assertThat(store.onFailure()).isEqualTo(FailureMode.LOCAL);
        assertThat(store.expectedInstances()).isEqualTo(1);
    }

    @Test
    void acceptsEverySentinelAndClusterForm() {
        assertThat(redis("{ uri: \"redis-sentinel://10.0.0.5:26379,10.0.0.6:26379#mymaster\" }").mode())
                .isEqualTo(Mode.SENTINEL);
        assertThat(redis("{ uri: \"redis://10.0.0.5:26379\", mode: sentinel, master: mymaster }").master())
                .contains("mymaster");
        assertThat(redis("{ uri: \"redis-sentinel://10.0.0.5:26379\", master: mymaster }").mode())
                .isEqualTo(Mode.SENTINEL);
        assertThat(redis("{ uri: \"redis://10.0.0.5:7000,10.0.0.6:7001\", mode: cluster }").mode())
                .isEqualTo(Mode.CLUSTER);
        assertThat(redis("{ uri: \"redis://h:1\", prefix: \"acme:rl:\", timeout: 250ms }").prefix())
                .isEqualTo("acme:rl:");
    }

    @Test
    void rejectsBadRedisSettingsNamingTheirPath() {
        assertThat(errors("store: { type: redis }")).containsExactly(
                "store.redis: required with type: redis (expected: { uri: \"redis://host:6379\" })");
        assertThat(errors("store: { type: memory, redis: { uri: \"redis://h:1\" } }"))
                .anyMatch(e -> e.startsWith("store.redis: only used with type: redis"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis://h:1\", timout: 1s } }"))
                .anyMatch(e -> e.startsWith("store.redis.timout: unknown setting"));
        assertThat(errors("store: { type: redis, redis: { mode: cluster } }"))
                .containsExactly("store.redis.uri: required");
        assertThat(errors("store: { type: redis, redis: { uri: \"http://h:1\" } }"))
                .anyMatch(e -> e.startsWith("store.redis.uri: not a Redis URI"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis://h:1\", timeout: 0s } }"))
                .anyMatch(e -> e.startsWith("store.redis.timeout: '0s'"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis://h:1\", prefix: \"{x}\" } }"))
                .anyMatch(e -> e.startsWith("store.redis.prefix: not a valid key prefix"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis://h:1\", mode: shard } }"))
                .anyMatch(e -> e.startsWith("store.redis.mode: 'shard' (expected one of: standalone, cluster, "
                        + "sentinel)"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis://h:1\", mode: sentinel } }"))
                .anyMatch(e -> e.startsWith("store.redis.master: required with mode: sentinel"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis://h:1\", master: mymaster } }"))
                .anyMatch(e -> e.startsWith("store.redis.master: set with mode standalone"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis-sentinel://h:1#a\", master: b } }"))
                .anyMatch(e -> e.startsWith("store.redis.master: 'b' differs"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis://h:1\" }, on-failure: maybe }"))
                .anyMatch(e -> e.startsWith("store.on-failure: 'maybe' (expected one of: allow, deny, local)"));
        assertThat(errors("store: { type: redis, redis: { uri: \"redis://h:1\" }, expected-instances: 0 }"))
                .anyMatch(e -> e.startsWith("store.expected-instances: 0"));
    }

    @Test
    void neverRepeatsTheUriInAnError() {
        List<String> errors = errors("store: { type: redis, redis: { uri: \"redis://:s3cret@\" } }");

        assertThat(errors).singleElement().asString().startsWith("store.redis.uri: ").doesNotContain("s3cret");
    }

    @Test
    void bindsFailureModeAndShadowPerPlanAndEndpointQuota() {
        GatewayConfig config = load("store: { type: redis, redis: { uri: \"redis://h:1\" }, on-failure: deny }",
                "  free:       { limit: 30,  period: 1m }",
                "  free:       { limit: 30,  period: 1m, on-failure: allow, shadow: true }",
                "  discovery: { path: /api/v1/discovery/**, limit: 5, period: 1m }",
                "  discovery: { path: /api/v1/discovery/**, limit: 5, period: 1m, on-failure: local }");

        PlanConfig free = config.plans().get("free");
        assertThat(free.onFailure()).contains(FailureMode.ALLOW);
        assertThat(free.shadow()).isTrue();
        assertThat(config.plans().get("pro").onFailure()).isEmpty();
        assertThat(config.endpoints().get("discovery").onFailure()).contains(FailureMode.LOCAL);

        LimitPolicy policy = new LimitPolicy(config);
        List<Quota> quotas = policy.quotas(free, "GET", "/api/v1/discovery/x");
        assertThat(quotas).extracting(Quota::onFailure).containsExactly(FailureMode.LOCAL, FailureMode.ALLOW);
        assertThat(quotas).extracting(Quota::shadow).containsExactly(false, true);
        assertThat(policy.quotas(config.plans().get("pro"), "GET", "/api/x")).singleElement()
                .satisfies(q -> assertThat(q.onFailure()).as("the store's default").isEqualTo(FailureMode.DENY));
    }

    @Test
    void rejectsFailureModeOrShadowOnAnUnlimitedPlan() {
        // C11: conflicting settings are a startup error
        List<String> errors = errors(MEMORY_STORE, "  enterprise: { unlimited: true }",
                "  enterprise: { unlimited: true, shadow: true, on-failure: deny }", null, null);

        assertThat(errors).containsExactlyInAnyOrder(
                "plans.enterprise.shadow: conflicts with unlimited: true (expected: remove one of them)",
                "plans.enterprise.on-failure: conflicts with unlimited: true (expected: remove one of them)");
    }

    @Test
    void rejectsABadShadowValue() {
        assertThat(errors(MEMORY_STORE, "  free:       { limit: 30,  period: 1m }",
                "  free:       { limit: 30,  period: 1m, shadow: yes-please }", null, null))
                .containsExactly("plans.free.shadow: 'yes-please' (expected: true or false)");
    }

    private RedisStoreConfig redis(String settings) {
        return load("store: { type: redis, redis: " + settings + " }").store().redis().orElseThrow();
    }

    private GatewayConfig load(String store) {
        return load(store, null, null, null, null);
    }

    private GatewayConfig load(String store, String planLine, String newPlanLine, String endpointLine,
            String newEndpointLine) {
        Path file = write(store, planLine, newPlanLine, endpointLine, newEndpointLine);
        return ConfigLoader.withEnvironment(environment::get).load(file);
    }

    private List<String> errors(String store) {
        return errors(store, null, null, null, null);
    }

    private List<String> errors(String store, String planLine, String newPlanLine, String endpointLine,
            String newEndpointLine) {
        Path file = write(store, planLine, newPlanLine, endpointLine, newEndpointLine);
        return catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.withEnvironment(environment::get).load(file)).errors();
    }

    private Path write(String store, String planLine, String newPlanLine, String endpointLine,
            String newEndpointLine) {
        String yaml = TestConfigs.GATEWAY_YAML.replace(MEMORY_STORE, store);
        if (planLine != null) {
            yaml = replaceOnce(yaml, planLine, newPlanLine);
        }
        if (endpointLine != null) {
            yaml = replaceOnce(yaml, endpointLine, newEndpointLine);
        }
        TestConfigs.load(dir, TestConfigs.GATEWAY_YAML);
        return TestConfigs.write(dir.resolve("gateway.yaml"), yaml);
    }

    private static String replaceOnce(String text, String from, String to) {
        assertThat(text).contains(from);
        return text.replace(from, to);
    }
}
