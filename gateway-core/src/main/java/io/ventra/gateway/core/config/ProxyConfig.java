package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * Proxy limits, timeouts and the upstream pool; every value is documented with its default in
 * {@code docs/proxy-limits.md}.
 *
 * @param connectTimeout       upstream connect timeout; exceeded → 502 (default 5s)
 * @param responseTimeout      time to the upstream's response headers; exceeded → 504 (default 30s)
 * @param poolIdleTimeout      idle pooled upstream connections are closed after this (default 4s, below the
 *                             5s keep-alive timeout of common upstream servers)
 * @param poolMaxIdle          idle connections kept per upstream and event loop (default 64)
 * @param poolMaxConnections   open connections per upstream and event loop; further requests wait for one to
 *                             free up for at most {@code connectTimeout}, then get 503 (default 256)
 * @param maxInitialLineBytes  longest request line; longer → 414 (default 8192)
 * @param maxHeaderBytes       largest request header block; larger → 431 (default 16384)
 * @param maxBodyBytes         largest request body, declared or counted while streaming; larger → 413
 *                             (default 10485760, 10 MiB)
 * @param headerReadTimeout    time a client has to send a complete request head, from connect or from its
 *                             first byte; exceeded → the connection is closed (default 10s)
 * @param idleTimeout          keep-alive connections with no request in progress close after this
 *                             (default 60s)
 * @param maxConnections       open client connections; further ones are closed on accept (default 10000)
 * @param maxRequestsPerConnection requests served on one client connection; the last one gets
 *                             {@code Connection: close} (default 1000)
 * @param trustedProxies       peers whose {@code X-Forwarded-For} is believed (default none)
 */
public record ProxyConfig(
        Duration connectTimeout,
        Duration responseTimeout,
        Duration poolIdleTimeout,
        int poolMaxIdle,
        int poolMaxConnections,
        int maxInitialLineBytes,
        int maxHeaderBytes,
        long maxBodyBytes,
        Duration headerReadTimeout,
        Duration idleTimeout,
        int maxConnections,
        int maxRequestsPerConnection,
        List<Cidr> trustedProxies) {
    public static final ProxyConfig DEFAULT = new ProxyConfig(
            Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(4), 64, 256, 8192, 16384,
            10L * 1024 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(60), 10_000, 1000, List.of());

    public ProxyConfig {
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(responseTimeout, "responseTimeout");
        requireNonNull(poolIdleTimeout, "poolIdleTimeout");
        requireNonNull(headerReadTimeout, "headerReadTimeout");
        requireNonNull(idleTimeout, "idleTimeout");
        trustedProxies = List.copyOf(requireNonNull(trustedProxies, "trustedProxies"));
        positive("poolMaxConnections", poolMaxConnections);
        positive("maxInitialLineBytes", maxInitialLineBytes);
        positive("maxHeaderBytes", maxHeaderBytes);
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxConnections", maxConnections);
        positive("maxRequestsPerConnection", maxRequestsPerConnection);
        for (Duration timeout : List.of(connectTimeout, responseTimeout, headerReadTimeout, idleTimeout)) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
            }
        }
    }

    /** Tells whether {@code address} (a literal IP) is a configured trusted proxy. */
    public boolean isTrustedProxy(String address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
        }
    }
}
