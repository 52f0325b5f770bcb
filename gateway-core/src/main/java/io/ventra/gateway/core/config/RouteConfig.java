package io.ventra.gateway.core.config;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.path.PathPattern;
import java.net.URI;

/**
 * Sends the requests whose path matches {@code path} to {@code upstream}. Routes are tried in file order; the
 * first match wins.
 *
 * @param path     the paths it serves
 * @param upstream base URI of the upstream ({@code http://host:port}); the request-target is sent unchanged
 */
public record RouteConfig(PathPattern path, URI upstream) {
    public RouteConfig {
        requireNonNull(path, "path");
        requireNonNull(upstream, "upstream");
    }

    public String upstreamHost() {
        return upstream.getHost();
    }

    public int upstreamPort() {
        return upstream.getPort() == -1 ? 80 : upstream.getPort();
    }
}
