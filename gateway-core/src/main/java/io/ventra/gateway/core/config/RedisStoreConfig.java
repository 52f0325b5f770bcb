package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How to reach Redis when {@code store.type} is {@code redis}.
 *
 * @param uri     where Redis is: {@code redis://[:password@]host:port}, {@code rediss://} for TLS; in cluster mode
 *                one or more seed nodes ({@code redis://h1:7000,h2:7001}); in sentinel mode
 *                {@code redis-sentinel://host:port[,host:port]#master}. Holds secrets: never log it whole
 * @param mode    standalone (the default), cluster or sentinel
 * @param master  the sentinel master name when the URI does not carry it; empty otherwise
 * @param timeout the longest one store call may take before the quota's failure mode applies (default 100ms)
 * @param prefix  prepended to every key (default {@code ventra:}); never contains braces
 */
public record RedisStoreConfig(String uri, Mode mode, Optional<String> master, Duration timeout, String prefix) {
    /** The timeout used when the YAML sets none. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);
    /** The key prefix used when the YAML sets none. */
    public static final String DEFAULT_PREFIX = "ventra:";

    public RedisStoreConfig {
        requireNonNull(uri, "uri");
        requireNonNull(mode, "mode");
        requireNonNull(master, "master");
        requireNonNull(timeout, "timeout");
        requireNonNull(prefix, "prefix");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("prefix: '" + prefix + "' (expected: no '{' or '}')");
        }
    }

    /** Returns a standalone configuration with the default timeout and prefix (tests, embedding). */
    public static RedisStoreConfig standalone(String uri) {
        return new RedisStoreConfig(uri, Mode.STANDALONE, Optional.empty(), DEFAULT_TIMEOUT, DEFAULT_PREFIX);
    }

    /** Returns a copy with another timeout. */
    public RedisStoreConfig withTimeout(Duration newTimeout) {
        return new RedisStoreConfig(uri, mode, master, newTimeout, prefix);
    }

    /** Returns a copy with another key prefix. */
    public RedisStoreConfig withPrefix(String newPrefix) {
        return new RedisStoreConfig(uri, mode, master, timeout, newPrefix);
    }

    /** Leaves the URI out, since it may carry a password. */
    @Override
    public String toString() {
        return "RedisStoreConfig[mode=" + mode + ", master=" + master.orElse("-") + ", timeout=" + timeout
                + ", prefix=" + prefix + "]";
    }

    /** How the gateway talks to Redis. */
    public enum Mode {
        /** One server (or a primary behind a stable address). */
        STANDALONE,
        /** Redis Cluster: keys are spread over slots; an account's keys share one slot. */
        CLUSTER,
        /** A primary found through Redis Sentinel, followed across failovers. */
        SENTINEL
    }
}
