package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Proxy limits and upstream timeouts.
 *
 * @param connectTimeout      upstream connect timeout; exceeded → 502 (default 5s)
 * @param responseTimeout     time to the upstream's response headers; exceeded → 504 (default 30s)
 * @param poolIdleTimeout     idle pooled upstream connections are closed after this (default 4s, below the
 *                            5s keep-alive timeout of common upstream servers)
 * @param poolMaxIdle         idle connections kept per upstream and event loop (default 64)
 * @param maxInitialLineBytes longest request line (default 8192)
 * @param maxHeaderBytes      largest request header block (default 16384)
 */
public record ProxyConfig(
        Duration connectTimeout,
        Duration responseTimeout,
        Duration poolIdleTimeout,
        int poolMaxIdle,
        int maxInitialLineBytes,
        int maxHeaderBytes) {
    public static final ProxyConfig DEFAULT = new ProxyConfig(
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(4), 64, 8192, 16384);

    public ProxyConfig {
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(responseTimeout, "responseTimeout");
        requireNonNull(poolIdleTimeout, "poolIdleTimeout");
    }
}
