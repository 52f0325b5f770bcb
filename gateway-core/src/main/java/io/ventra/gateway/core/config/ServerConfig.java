package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Listener and lifecycle settings.
 *
 * @param bind          address the proxy listens on (default {@code 0.0.0.0})
 * @param port          proxy port (default 8080)
 * @param adminBind     address of the admin listener (default {@code 0.0.0.0}, so probes can reach it)
 * @param adminPort     admin port for health and metrics (default 9090)
 * @param shutdownGrace longest time in-flight requests get to finish on SIGTERM (default 30s)
 * @param ioThreads     event-loop threads; 0 means one per core (default 0)
 * @param drainDelay    how long the gateway keeps accepting after SIGTERM while readiness reports 503, so that
 *                      load balancers stop sending traffic first (default 0s: stop accepting at once)
 */
public record ServerConfig(
        String bind, int port, String adminBind, int adminPort, Duration shutdownGrace, int ioThreads,
        Duration drainDelay) {
    public static final ServerConfig DEFAULT =
            new ServerConfig("0.0.0.0", 8080, "0.0.0.0", 9090, Duration.ofSeconds(30), 0, Duration.ZERO);

    public ServerConfig {
        requireNonNull(bind, "bind");
        requireNonNull(adminBind, "adminBind");
        requireNonNull(shutdownGrace, "shutdownGrace");
        requireNonNull(drainDelay, "drainDelay");
        if (drainDelay.isNegative()) {
            throw new IllegalArgumentException("drainDelay: " + drainDelay + " (expected: >= 0)");
        }
    }

    /** Creates settings without a drain delay. */
    public ServerConfig(String bind, int port, String adminBind, int adminPort, Duration shutdownGrace,
            int ioThreads) {
        this(bind, port, adminBind, adminPort, shutdownGrace, ioThreads, Duration.ZERO);
    }

    /** Returns a copy listening on other ports; tests use port 0 to get free ones. */
    public ServerConfig withPorts(int newPort, int newAdminPort) {
        return new ServerConfig(bind, newPort, adminBind, newAdminPort, shutdownGrace, ioThreads, drainDelay);
    }
}
