package io.ventra.gateway.core.store.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.ventra.gateway.core.config.RedisStoreConfig;
import io.ventra.gateway.core.config.RedisStoreConfig.Mode;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns the {@code store.redis} settings into Lettuce URIs, and checks them for the configuration loader. Error
 * messages never repeat the URI, since it may hold a password.
 */
public final class RedisUris {
    private static final List<String> PLAIN = List.of("redis", "rediss");
    private static final List<String> SENTINEL = List.of("redis-sentinel", "rediss-sentinel");

    private RedisUris() {
    }

    /** Returns the mode a URI implies when the YAML sets none: sentinel for {@code redis-sentinel://}. */
    public static Mode impliedMode(String uri) {
        return SENTINEL.contains(scheme(uri)) ? Mode.SENTINEL : Mode.STANDALONE;
    }

    /**
     * Checks the settings; returns what is wrong, or empty when Lettuce can use them.
     *
     * @return an error naming the setting ({@code uri} or {@code master}) and what was expected
     */
    public static Optional<String> check(String uri, Mode mode, Optional<String> master) {
        String scheme = scheme(uri);
        boolean sentinelScheme = SENTINEL.contains(scheme);
        if (!PLAIN.contains(scheme) && !sentinelScheme) {
            return Optional.of("uri: not a Redis URI (expected: redis://host:port, rediss://host:port or "
                    + "redis-sentinel://host:port#master)");
        }
        if (sentinelScheme && mode != Mode.SENTINEL) {
            return Optional.of("uri: a redis-sentinel:// URI with mode " + name(mode) + " (expected: mode: "
                    + "sentinel, or a redis:// URI)");
        }
        if (master.isPresent() && mode != Mode.SENTINEL) {
            return Optional.of("master: set with mode " + name(mode) + " (expected: only with mode: sentinel)");
        }
        if (mode == Mode.SENTINEL) {
            Optional<String> error = checkMaster(uri, master);
            if (error.isPresent()) {
                return error;
            }
        }
        List<RedisURI> parsed;
        try {
            parsed = parse(uri, mode, master);
        } catch (RuntimeException e) {
            return Optional.of("uri: not a valid Redis URI (expected: " + expected(mode) + ")");
        }
        if (parsed.isEmpty() || parsed.stream().anyMatch(u -> u.getHost() == null && u.getSentinels().isEmpty())) {
            return Optional.of("uri: no host (expected: " + expected(mode) + ")");
        }
        return Optional.empty();
    }

    private static Optional<String> checkMaster(String uri, Optional<String> master) {
        int hash = uri.lastIndexOf('#');
        String fromUri = hash < 0 ? "" : uri.substring(hash + 1);
        if (fromUri.isEmpty() && master.isEmpty()) {
            return Optional.of("master: required with mode: sentinel (expected: the master name, or "
                    + "redis-sentinel://host:port#master)");
        }
        if (!fromUri.isEmpty() && master.isPresent() && !master.get().equals(fromUri)) {
            return Optional.of("master: '" + master.get() + "' differs from the name in the URI (expected: "
                    + "one of them, or the same name)");
        }
        return Optional.empty();
    }

    /**
     * Returns the Lettuce URIs for the settings: one for standalone and sentinel, the seed nodes for cluster.
     *
     * @throws IllegalArgumentException when they are invalid (see {@link #check})
     */
    public static List<RedisURI> parse(RedisStoreConfig config) {
        check(config.uri(), config.mode(), config.master()).ifPresent(error -> {
            throw new IllegalArgumentException("store.redis." + error);
        });
        return parse(config.uri(), config.mode(), config.master());
    }

    private static List<RedisURI> parse(String uri, Mode mode, Optional<String> master) {
        switch (mode) {
            case CLUSTER:
                return RedisClusterURIUtil.toRedisURIs(URI.create(uri));
            case SENTINEL:
                return List.of(sentinel(uri, master));
            default:
                return List.of(RedisURI.create(uri));
        }
    }

    private static RedisURI sentinel(String uri, Optional<String> master) {
        // redis://sentinel-host:26379 with master: name means the same as redis-sentinel://...#name
        String scheme = scheme(uri);
        String sentinelUri = SENTINEL.contains(scheme) ? uri : scheme + "-sentinel" + uri.substring(scheme.length());
        if (master.isPresent() && sentinelUri.indexOf('#') < 0) {
            // Lettuce reads the master name from the fragment and refuses a sentinel URI without one.
            sentinelUri = sentinelUri + '#' + master.get();
        }
        return RedisURI.create(sentinelUri);
    }

    private static String scheme(String uri) {
        int end = uri.indexOf("://");
        return end < 0 ? "" : uri.substring(0, end).toLowerCase(Locale.ROOT);
    }

    private static String name(Mode mode) {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    private static String expected(Mode mode) {
        switch (mode) {
            case CLUSTER:
                return "redis://host:port[,host:port...] naming one or more seed nodes";
            case SENTINEL:
                return "redis-sentinel://host:port[,host:port]#master";
            default:
                return "redis://[:password@]host:port or rediss://...";
        }
    }
}
