package io.ventra.gateway.core.testing;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.identity.ApiKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A known-good configuration and key file for tests that need a whole {@link GatewayConfig}: Free 30/min,
 * Pro 120/min, Enterprise unlimited, an {@code internal} plan that opts out of endpoint quotas, Discovery
 * 5/min and Sourcing 3/min, and one route for {@code /api/**} (so other paths are unrouted).
 */
public final class TestConfigs {
    /** The gateway YAML; its key file is {@code api-keys.yaml} next to it. */
    public static final String GATEWAY_YAML = """
            server:   { port: 8080, admin-port: 9090, shutdown-grace: 30s }
            store:    { type: memory }
            identity:
              api-keys: { header: X-Api-Key, file: api-keys.yaml }
              anonymous: reject
            plans:
              free:       { limit: 30,  period: 1m }
              pro:        { limit: 120, period: 1m }
              enterprise: { unlimited: true }
              internal:   { limit: 1000, period: 1m, endpoint-quotas: false }
            endpoints:
              discovery: { path: /api/v1/discovery/**, limit: 5, period: 1m }
              sourcing:  { path: /api/v1/sourcing/**,  limit: 3, period: 1m }
            routes:
              - { path: /api/**, upstream: http://127.0.0.1:3000 }
            """;

    /** The keys in the key file. {@code free-a} and {@code free-a2} belong to one account. */
    public static final List<TestKey> KEYS = List.of(
            new TestKey("free-a", "acme-free", "free"),
            new TestKey("free-a2", "acme-free", "free"),
            new TestKey("free-b", "beta-free", "free"),
            new TestKey("pro-a", "acme-pro", "pro"),
            new TestKey("ent-a", "globex", "enterprise"),
            new TestKey("int-a", "ventra-internal", "internal"));

    private TestConfigs() {
    }

    /** Writes {@link #GATEWAY_YAML} and the key file into {@code dir} and loads them. */
    public static GatewayConfig load(Path dir) {
        return load(dir, GATEWAY_YAML);
    }

    /** Writes {@code gatewayYaml} and the key file of {@link #KEYS} into {@code dir} and loads them. */
    public static GatewayConfig load(Path dir, String gatewayYaml) {
        Path config = write(dir.resolve("gateway.yaml"), gatewayYaml);
        write(dir.resolve("api-keys.yaml"), keyFile(KEYS));
        return ConfigLoader.withEnvironment(name -> null).load(config);
    }

    /** Renders a key file holding {@code keys} in their stored (hashed) form. */
    public static String keyFile(List<TestKey> keys) {
        StringBuilder yaml = new StringBuilder("keys:\n");
        for (TestKey key : keys) {
            yaml.append("  - { sha256: ").append(ApiKeys.hash(key.key()))
                    .append(", account: ").append(key.account())
                    .append(", plan: ").append(key.plan()).append(" }\n");
        }
        return yaml.toString();
    }

    /** Writes {@code text} to {@code file}, creating its folder; returns {@code file}. */
    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One API key of the test key file.
     *
     * @param key     the secret a client sends
     * @param account the account it belongs to
     * @param plan    the account's plan
     */
    public record TestKey(String key, String account, String plan) {
        public TestKey {
            requireNonNull(key, "key");
            requireNonNull(account, "account");
            requireNonNull(plan, "plan");
        }
    }
}
