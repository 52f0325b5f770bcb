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
 */
public record ServerConfig(
        String bind, int port, String adminBind, int adminPort, Duration shutdownGrace, int ioThreads) {
    public static final ServerConfig DEFAULT =
            new ServerConfig("0.0.0.0", 8080, "0.0.0.0", 9090, Duration.ofSeconds(30), 0);

    public ServerConfig {
        requireNonNull(bind, "bind");
        requireNonNull(adminBind, "adminBind");
        requireNonNull(shutdownGrace, "shutdownGrace");
    }

    /** Returns a copy listening on other ports; tests use port 0 to get free ones. */
    public ServerConfig withPorts(int newPort, int newAdminPort) {
        return new ServerConfig(bind, newPort, adminBind, newAdminPort, shutdownGrace, ioThreads);
    }
}
