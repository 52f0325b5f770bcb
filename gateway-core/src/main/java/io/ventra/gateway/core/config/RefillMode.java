package io.ventra.gateway.core.config;

/** Says how a bucket gains tokens back. */
public enum RefillMode {
    /** Tokens come back one by one, evenly over the period (30/min gains one every 2 s). The default. */
    GREEDY,
    /** The whole limit comes back at once, at the end of each period (a fixed window). */
    INTERVAL
}
