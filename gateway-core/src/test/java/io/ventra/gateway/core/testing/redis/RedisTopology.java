package io.ventra.gateway.core.testing.redis;

import io.lettuce.core.RedisURI;

/**
 * Describes a running set of Redis processes started by this harness, whatever its shape.
 */
public interface RedisTopology extends AutoCloseable {

    /** Returns the URI a client should be given: the server, a cluster seed, or the sentinel. */
    RedisURI clientUri();

    /** Deletes every key on every writable node. */
    void flushAll();

    /** Stops every process (by PID) and deletes the temp directories. Never throws. */
    @Override
    void close();
}
