package io.ventra.gateway.core.testing.redis;

import io.lettuce.core.RedisURI;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a Redis topology before the tests of a class and stops it after them.
 *
 * <p>Register it on a static field so JUnit calls it around the whole class:
 * <pre>{@code
 * @RegisterExtension
 * static final RedisExtension REDIS = RedisExtension.standalone();
 * }</pre>
 * A failed start (e.g. a port taken between probing and binding) is retried from scratch once.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

    private static final int START_ATTEMPTS = 2;

    private final String description;
    private final Supplier<RedisTopology> starter;
    private RedisTopology topology;
    private String ownerId;

    private RedisExtension(String description, Supplier<RedisTopology> starter) {
        this.description = description;
        this.starter = starter;
    }

    /** Creates an extension running one plain Redis server. */
    public static RedisExtension standalone() {
        return new RedisExtension("standalone", RedisServerProcess::start);
    }

    /** Creates an extension running a three-master cluster without replicas. */
    public static RedisExtension cluster() {
        return new RedisExtension("cluster", RedisCluster::start);
    }

    /** Creates an extension running a three-master cluster with one replica per master. */
    public static RedisExtension clusterWithReplicas() {
        return new RedisExtension("cluster with replicas", RedisCluster::startWithReplicas);
    }

    /** Creates an extension running a master, a replica and a sentinel. */
    public static RedisExtension sentinel() {
        return new RedisExtension("sentinel", RedisSentinelSet::start);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (topology == null) {
            topology = startWithRetries();
            ownerId = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Nested classes inherit the extension; only the class that started the topology stops it.
        if (topology != null && context.getUniqueId().equals(ownerId)) {
            topology.close();
            topology = null;
        }
    }

    /** Returns the running topology. */
    public RedisTopology topology() {
        if (topology == null) {
            throw new IllegalStateException("Redis (" + description + ") is not running; register the extension "
                    + "on a static field with @RegisterExtension");
        }
        return topology;
    }

    /** Returns the standalone server. */
    public RedisServerProcess server() {
        return as(RedisServerProcess.class);
    }

    /** Returns the cluster. */
    public RedisCluster redisCluster() {
        return as(RedisCluster.class);
    }

    /** Returns the sentinel set. */
    public RedisSentinelSet sentinelSet() {
        return as(RedisSentinelSet.class);
    }

    /** Returns the URI a client should connect to (server, first cluster seed, or sentinel). */
    public RedisURI uri() {
        return topology().clientUri();
    }

    /** Deletes all keys, e.g. from a {@code @BeforeEach} method. */
    public void flushAll() {
        topology().flushAll();
    }

    private <T extends RedisTopology> T as(Class<T> type) {
        RedisTopology current = topology();
        if (!type.isInstance(current)) {
            throw new IllegalStateException("This extension runs " + description + ", not " + type.getSimpleName());
        }
        return type.cast(current);
    }

    private RedisTopology startWithRetries() {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return starter.get();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw new IllegalStateException("Could not start Redis (" + description + ") in " + START_ATTEMPTS
                + " attempts", failure);
    }
}
