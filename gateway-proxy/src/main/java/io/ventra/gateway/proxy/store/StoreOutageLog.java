package io.ventra.gateway.proxy.store;

import io.ventra.gateway.core.store.StoreListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs rate-limit store outages: one WARN when the store stops answering, one WARN a minute with a count while it
 * stays down and requests keep arriving, and one INFO when it answers again. Never one line per request, and
 * never a stack trace: the cause's message says enough, and the outage repeats it on every call.
 */
public final class StoreOutageLog implements StoreListener {
    private static final Logger log = LoggerFactory.getLogger(StoreOutageLog.class);

    @Override
    public void onUnavailable(String store, Throwable cause) {
        log.warn("Failed to reach the rate-limit store ({}): {}; quotas follow their on-failure setting until it "
                + "answers", store, cause.getMessage());
    }

    @Override
    public void onStillUnavailable(String store, Duration downFor, long failedCalls) {
        log.warn("Failed to reach the rate-limit store ({}) for {} s; {} store calls used the on-failure setting "
                + "since the last report", store, downFor.toSeconds(), failedCalls);
    }

    @Override
    public void onRecovered(String store, Duration downFor, long failedCalls) {
        log.info("Reached the rate-limit store ({}) again after {} s; {} store calls used the on-failure setting "
                + "meanwhile", store, downFor.toSeconds(), failedCalls);
    }
}
