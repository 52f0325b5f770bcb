package io.ventra.gateway.proxy.lifecycle;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs a graceful stop on SIGTERM or SIGINT, and a config reload on SIGHUP. The signals are handled directly
 * instead of through a JVM shutdown hook so that the stop can finish its drain and the process can exit with
 * status 0.
 */
public final class SignalHandlers {
    private static final Logger log = LoggerFactory.getLogger(SignalHandlers.class);

    private SignalHandlers() {
    }

    /** Runs {@code stop} once, on its own thread, at the first SIGTERM or SIGINT; later signals are logged. */
    public static void onShutdownSignal(Runnable stop) {
        AtomicBoolean started = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (started.compareAndSet(false, true)) {
                    log.info("Received SIG{}; shutting down gracefully", signal.getName());
                    Thread stopper = new Thread(stop, "ventra-shutdown");
                    stopper.start();
                } else {
                    log.info("Received SIG{} again; the graceful shutdown already running continues",
                            signal.getName());
                }
            });
        }
    }

    /**
     * Runs {@code reload} at every SIGHUP. The task must return quickly (hand the work to another thread).
     * Does nothing where the platform has no SIGHUP.
     */
    public static void onReloadSignal(Runnable reload) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                log.info("Received SIGHUP; reloading the configuration");
                reload.run();
            });
        } catch (IllegalArgumentException e) {
            log.info("SIGHUP is not available on this platform; reload with POST /admin/reload instead");
        }
    }
}
