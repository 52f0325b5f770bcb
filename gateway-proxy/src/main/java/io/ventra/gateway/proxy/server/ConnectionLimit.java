package io.ventra.gateway.proxy.server;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds open client connections ({@code proxy.max-connections}). A connection over the bound is closed as soon
 * as it is accepted, before any byte is read; refusals are logged as one warning per ten seconds with a count.
 */
final class ConnectionLimit {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);
    private static final long WARN_INTERVAL_NANOS = 10_000_000_000L;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger refusedSinceWarning = new AtomicInteger();
    private final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Counts {@code channel} in, or closes it and returns false when the bound is reached. */
    boolean tryAcquire(Channel channel) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            channel.close();
            warn();
            return false;
        }
        channel.closeFuture().addListener(f -> open.decrementAndGet());
        return true;
    }

    private void warn() {
        refusedSinceWarning.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarningNanos.compareAndSet(last, now)) {
            log.warn("Refused {} connections over proxy.max-connections={} in the last interval",
                    refusedSinceWarning.getAndSet(0), max);
        }
    }
}
