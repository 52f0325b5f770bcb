package io.ventra.gateway.proxy.upstream;

/** No connection to an upstream freed up within the wait allowed by {@code proxy.connect-timeout}. */
public final class PoolExhaustedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PoolExhaustedException(String upstream) {
        super("All pool-max-connections connections to " + upstream + " stayed busy", null, false, false);
    }
}
