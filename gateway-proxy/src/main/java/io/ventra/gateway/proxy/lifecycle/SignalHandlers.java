package io.ventra.gateway.proxy.lifecycle;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a graceful stop on SIGTERM or SIGINT. The signal is handled directly instead of through a JVM shutdown
 * hook so that the stop can finish its drain and the process can exit with status 0.
 */
public final class SignalHandlers {
    private static final Logger log = LoggerFactory.getLogger(SignalHandlers.class);

    private SignalHandlers() {
    }

    /** Runs {@code stop} once, on its own thread, at the first SIGTERM or SIGINT. */
    public static void onShutdownSignal(Runnable stop) {
        AtomicBoolean started = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (started.compareAndSet(false, true)) {
                    log.info("Received SIG{}; shutting down gracefully", signal.getName());
                    Thread stopper = new Thread(stop, "ventra-shutdown");
                    stopper.start();
                }
            });
        }
    }
}
