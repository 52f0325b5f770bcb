package io.ventra.gateway.core.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.Gatekeeper;
import io.ventra.gateway.core.config.ConfigLoader;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.BucketStores;
import io.ventra.gateway.core.store.StoreHealth;
import io.ventra.gateway.core.store.StoreListener;
import io.ventra.gateway.core.testing.TestConfigs;
import io.ventra.gateway.core.testing.TestConfigs.TestKey;
import io.ventra.gateway.core.testing.redis.RedisTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One gateway instance as the library sees it: a {@link Gatekeeper} over the production Redis store (guarded,
 * with its own connection), configured from YAML like the proxy. Plans and quotas are those of
 * {@link TestConfigs}; every key's account is the key itself ({@code free-a}, {@code pro-b}, {@code ent-a}, ...).
 */
final class RedisGateway implements AutoCloseable {
    static final String OTHER = "/api/other";
    static final String DISCOVERY = "/api/v1/discovery/search";

    private static final List<TestKey> KEYS = keys();

    private final Gatekeeper gatekeeper;
    private final BucketStore store;

    private RedisGateway(Gatekeeper gatekeeper, BucketStore store) {
        this.gatekeeper = gatekeeper;
        this.store = store;
    }

    /**
     * Writes and loads a config whose store is {@code topology}.
     *
     * @param storeSettings extra {@code store:} settings, e.g. {@code "on-failure: deny, expected-instances: 3"}
     */
    static GatewayConfig config(Path dir, RedisTopology topology, Duration timeout, String storeSettings) {
        return config(dir, topology, timeout, storeSettings, UnaryOperator.identity());
    }

    /** The same, with {@code edit} applied to the YAML text (to change a limit). */
    static GatewayConfig config(Path dir, RedisTopology topology, Duration timeout, String storeSettings,
            UnaryOperator<String> edit) {
        String store = "store: { type: redis, redis: { uri: \"" + RedisTestSupport.uri(topology) + "\", mode: "
                + RedisTestSupport.mode(topology).name().toLowerCase(Locale.ROOT) + ", timeout: " + timeout.toMillis()
                + "ms }" + (storeSettings.isEmpty() ? "" : ", " + storeSettings) + " }";
        String yaml = edit.apply(TestConfigs.GATEWAY_YAML.replace("store:    { type: memory }", store));
        assertThat(yaml).contains("type: redis");
        TestConfigs.write(dir.resolve("api-keys.yaml"), TestConfigs.keyFile(KEYS));
        return ConfigLoader.withEnvironment(name -> null).load(TestConfigs.write(dir.resolve("gateway.yaml"), yaml));
    }

    /**
     * Starts an instance as the CLI does ({@link BucketStores#create}, then a gatekeeper over it) and waits until
     * its store is connected; until then requests would get the failure mode.
     */
    static RedisGateway start(GatewayConfig config, NanoClock clock, StoreListener listener) {
        BucketStore store = BucketStores.create(config.store(), clock, listener);
        await("store connected").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> store.health() == StoreHealth.UP);
        return new RedisGateway(Gatekeeper.create(config, store), store);
    }

    Gatekeeper gatekeeper() {
        return gatekeeper;
    }

    BucketStore store() {
        return store;
    }

    /** Asks about one request without waiting. */
    CompletableFuture<Admission> admitAsync(String key, String path) {
        return gatekeeper.admit(key, "127.0.0.1", "GET", path);
    }

    /** Asks about one request and waits at most 10 s for the answer. */
    Admission admit(String key, String path) {
        return admitAsync(key, path).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Sends {@code times} requests one after another. */
    List<Admission> admit(String key, String path, int times) {
        List<Admission> admissions = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            admissions.add(admit(key, path));
        }
        return admissions;
    }

    @Override
    public void close() {
        store.close();
    }

    private static List<TestKey> keys() {
        List<TestKey> keys = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            keys.add(new TestKey("free-" + c, "free-" + c, "free"));
            keys.add(new TestKey("pro-" + c, "pro-" + c, "pro"));
            keys.add(new TestKey("ent-" + c, "ent-" + c, "enterprise"));
        }
        for (int i = 1; i <= 5; i++) {
            keys.add(new TestKey("free-v" + i, "free-v" + i, "free"));
        }
        return keys;
    }
}
