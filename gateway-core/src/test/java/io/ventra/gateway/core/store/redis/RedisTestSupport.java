package io.ventra.gateway.core.store.redis;

import static org.awaitility.Awaitility.await;

import io.ventra.gateway.core.config.RedisStoreConfig;
import io.ventra.gateway.core.config.RedisStoreConfig.Mode;
import io.ventra.gateway.core.testing.redis.RedisCluster;
import io.ventra.gateway.core.testing.redis.RedisExtension;
import io.ventra.gateway.core.testing.redis.RedisSentinelSet;
import io.ventra.gateway.core.testing.redis.RedisServerProcess;
import io.ventra.gateway.core.testing.redis.RedisTopology;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/** Builds Redis store settings and connections for the harness's topologies. */
public final class RedisTestSupport {
    /** A timeout generous enough that a loaded test machine never trips it where no fault is injected. */
    public static final Duration RELAXED_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration CONNECT_WAIT = Duration.ofSeconds(20);

    private RedisTestSupport() {
    }

    /** Returns the {@code store.redis} settings that reach the extension's topology. */
    public static RedisStoreConfig config(RedisExtension redis, Duration timeout) {
        return config(redis.topology(), timeout);
    }

    /** Returns the {@code store.redis} settings that reach {@code topology}. */
    public static RedisStoreConfig config(RedisTopology topology, Duration timeout) {
        return new RedisStoreConfig(uri(topology), mode(topology), Optional.empty(), timeout,
                RedisStoreConfig.DEFAULT_PREFIX);
    }

    /** Returns the value for {@code store.redis.uri}. */
    public static String uri(RedisTopology topology) {
        if (topology instanceof RedisCluster) {
            return "redis://" + ((RedisCluster) topology).seedUris().stream()
                    .map(u -> u.getHost() + ":" + u.getPort()).collect(Collectors.joining(","));
        }
        if (topology instanceof RedisSentinelSet) {
            return ((RedisSentinelSet) topology).sentinelUriString();
        }
        return ((RedisServerProcess) topology).uri();
    }

    /** Returns the value for {@code store.redis.mode}. */
    public static Mode mode(RedisTopology topology) {
        if (topology instanceof RedisCluster) {
            return Mode.CLUSTER;
        }
        return topology instanceof RedisSentinelSet ? Mode.SENTINEL : Mode.STANDALONE;
    }

    /** Opens a connection and waits until it is up. */
    public static RedisConnection connect(RedisStoreConfig config) {
        RedisConnection connection = RedisConnection.open(config);
        await("connection to " + connection).atMost(CONNECT_WAIT).pollInterval(Duration.ofMillis(20))
                .until(connection::isConnected);
        return connection;
    }
}
