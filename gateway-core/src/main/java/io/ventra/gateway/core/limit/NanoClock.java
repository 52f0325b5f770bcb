package io.ventra.gateway.core.limit;

/**
 * Supplies the time that bucket math runs on. Inject one to move time in tests instead of sleeping.
 */
@FunctionalInterface
public interface NanoClock {
    /** The wall clock in nanoseconds since the epoch, in millisecond steps; safe to share across hosts. */
    NanoClock SYSTEM = () -> System.currentTimeMillis() * 1_000_000L;

    /** Returns the current time in nanoseconds. Only differences matter; it may move back. */
    long nanos();
}
