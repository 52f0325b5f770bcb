package io.ventra.gateway.core.store;

import java.time.Duration;

/**
 * Hears about store outages, so that the application can log and count them; the library itself logs nothing.
 * Called on the store's own threads: return quickly and never block. Every method defaults to doing nothing.
 *
 * <p>An outage is reported once when it starts, then at most once per reminder interval while requests keep
 * arriving, then once when it ends; never once per request.
 */
public interface StoreListener {
    /** A listener that ignores everything. */
    StoreListener NONE = new StoreListener() {
    };

    /**
     * Says the store stopped answering: enough calls in a row failed or timed out that it is skipped until a probe
     * succeeds.
     *
     * @param store a description of the store without secrets, e.g. {@code redis standalone 10.0.0.5:6379}
     * @param cause the failure that tipped it
     */
    default void onUnavailable(String store, Throwable cause) {
    }

    /**
     * Says the store is still unavailable.
     *
     * @param downFor     time since {@link #onUnavailable}
     * @param failedCalls calls that failed or were skipped since the previous report (the first report counts
     *                    the failure that began the outage)
     */
    default void onStillUnavailable(String store, Duration downFor, long failedCalls) {
    }

    /**
     * Says the store answers again.
     *
     * @param downFor     how long the outage lasted
     * @param failedCalls calls that failed or were skipped during the whole outage, the one that began it included
     */
    default void onRecovered(String store, Duration downFor, long failedCalls) {
    }
}
