package io.ventra.gateway.core.store;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.limit.Quota;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Guards a remote store (Redis) so that its failures cost requests little time and never an error: every call
 * gets at most {@code timeout}, a {@link CircuitBreaker} skips the store while it is down (3 failures in a row
 * open it; a probe every second closes it again), and the limiter can take tokens from local fallback buckets,
 * each sized {@code limit / expectedInstances} (at least 1), for quotas whose failure mode is local.
 *
 * <p>Calls that fail, time out or are skipped complete exceptionally with a {@link StoreUnavailableException};
 * the {@link io.ventra.gateway.core.limit.RateLimiter} turns that into a decision per the quota's failure mode.
 * Outages are reported to a {@link StoreListener} once when they begin, as reminders at most once a minute
 * while requests keep failing, and once when they end; {@link #health()} and {@link #stats()} read cached state
 * and never wait.
 */
public final class ResilientBucketStore implements BucketStore {
    /** Failures in a row that make the store count as down. */
    public static final int FAILURES_TO_OPEN = 3;
    /** How long the store is skipped before one call probes it again. */
    public static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    /** Least time between two {@link StoreListener#onStillUnavailable} reports. */
    public static final Duration REMINDER_INTERVAL = Duration.ofMinutes(1);

    private static final StoreUnavailableException SKIPPED = new StoreUnavailableException(
            "Store skipped: it failed repeatedly and is probed again shortly");

    private final BucketStore remote;
    private final long timeoutNanos;
    private final int expectedInstances;
    private final MemoryBucketStore local;
    private final StoreListener listener;
    private final LongSupplier ticker;
    private final CircuitBreaker circuit;
    private final Map<LimitConfig, LimitConfig> localLimits = new ConcurrentHashMap<>();

    private final LongAdder calls = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder localDecisions = new LongAdder();
    private final LongAdder outages = new LongAdder();
    private final LongAdder failedThisOutage = new LongAdder();
    private final LongAdder failedSinceReminder = new LongAdder();
    private final AtomicLong outageStart = new AtomicLong();
    private final AtomicLong lastReminder = new AtomicLong();

    /**
     * Guards {@code remote}.
     *
     * @param timeout           the longest one call may take
     * @param expectedInstances how many gateway instances share the remote store; sizes local fallback buckets
     * @param maxBuckets        most local fallback buckets kept
     * @param clock             the clock of the local fallback buckets
     * @param listener          hears about outages
     */
    public ResilientBucketStore(BucketStore remote, Duration timeout, int expectedInstances, long maxBuckets,
            NanoClock clock, StoreListener listener) {
        this(remote, timeout, expectedInstances, new MemoryBucketStore(clock, maxBuckets), listener, System::nanoTime,
                FAILURES_TO_OPEN, PROBE_INTERVAL);
    }

    ResilientBucketStore(BucketStore remote, Duration timeout, int expectedInstances, MemoryBucketStore local,
            StoreListener listener, LongSupplier ticker, int failuresToOpen, Duration probeInterval) {
        this.remote = requireNonNull(remote, "remote");
        requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (expectedInstances < 1) {
            throw new IllegalArgumentException("expectedInstances: " + expectedInstances + " (expected: >= 1)");
        }
        this.timeoutNanos = timeout.toNanos();
        this.expectedInstances = expectedInstances;
        this.local = requireNonNull(local, "local");
        this.listener = requireNonNull(listener, "listener");
        this.ticker = ticker;
        // TODO: one breaker for the whole store; on a Cluster a failed master's slots keep costing their
        // requests the timeout while other masters' successes keep it closed (docs/redis-store.md, limitations).
        this.circuit = new CircuitBreaker(failuresToOpen, probeInterval.toNanos(), ticker, new Transitions());
    }

    @Override
    public CompletableFuture<Probe> tryConsume(String account, Quota quota) {
        return guard(() -> remote.tryConsume(account, quota));
    }

    @Override
    public CompletableFuture<Void> refund(String account, Quota quota) {
        return guard(() -> remote.refund(account, quota));
    }

    /** Takes one token from the local fallback bucket for {@code quota}, shaped by {@link #localQuota}. */
    public Probe consumeLocally(String account, Quota quota) {
        localDecisions.increment();
        return local.consume(account, localQuota(quota));
    }

    /** Gives back a token taken by {@link #consumeLocally}. */
    public void refundLocally(String account, Quota quota) {
        local.refund(account, localQuota(quota));
    }

    /**
     * Returns the quota the local fallback enforces for {@code quota}: the same period, refill and name, with
     * capacity {@code limit / expectedInstances}, at least 1. Free 30/min on 3 instances becomes 10/min each.
     */
    public Quota localQuota(Quota quota) {
        LimitConfig limit = quota.limit();
        if (expectedInstances == 1) {
            return quota;
        }
        return quota.withLimit(localLimits.computeIfAbsent(limit, l -> new LimitConfig(l.name(),
                Math.max(1, l.limit() / expectedInstances), l.period(), l.refill())));
    }

    @Override
    public StoreHealth health() {
        return circuit.isOpen() ? StoreHealth.DOWN : remote.health();
    }

    /** Returns the counts so far; never waits. */
    public StoreStats stats() {
        return new StoreStats(calls.sum(), failures.sum(), timeouts.sum(), skipped.sum(), localDecisions.sum(),
                outages.sum(), health());
    }

    /** Returns the guarded store. */
    public BucketStore remote() {
        return remote;
    }

    @Override
    public String type() {
        return remote.type();
    }

    @Override
    public void close() {
        try {
            remote.close();
        } finally {
            local.close();
        }
    }

    @Override
    public String toString() {
        return remote.toString();
    }

    private <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> call) {
        long permit = circuit.tryAcquire();
        if (permit == CircuitBreaker.REFUSED) {
            skipped.increment();
            countOutageFailure();
            return CompletableFuture.failedFuture(SKIPPED);
        }
        calls.increment();
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            call.get().whenComplete((value, error) -> {
                if (error == null) {
                    answer.complete(value);
                } else {
                    answer.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return answer.orTimeout(timeoutNanos, TimeUnit.NANOSECONDS).handle((value, error) -> {
            if (error == null) {
                circuit.onSuccess(permit);
                return CompletableFuture.completedFuture(value);
            }
            StoreUnavailableException failure = unavailable(error);
            circuit.onFailure(permit, failure);
            countOutageFailure();
            return CompletableFuture.<T>failedFuture(failure);
        }).thenCompose(f -> f);
    }

    private StoreUnavailableException unavailable(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        failures.increment();
        if (cause instanceof TimeoutException) {
            timeouts.increment();
            return new StoreUnavailableException("No answer from the store within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
        if (cause instanceof StoreUnavailableException) {
            return (StoreUnavailableException) cause;
        }
        return new StoreUnavailableException("Store call failed: " + cause, cause);
    }

    private void countOutageFailure() {
        if (!circuit.isOpen()) {
            return;
        }
        failedThisOutage.increment();
        failedSinceReminder.increment();
        long now = ticker.getAsLong();
        long last = lastReminder.get();
        if (now - last >= REMINDER_INTERVAL.toNanos() && lastReminder.compareAndSet(last, now)) {
            listener.onStillUnavailable(toString(), Duration.ofNanos(now - outageStart.get()),
                    failedSinceReminder.sumThenReset());
        }
    }

    /** Reports outages; runs on whichever thread completed the call that changed the breaker's state. */
    private final class Transitions implements CircuitBreaker.Transitions {
        @Override
        public void opened(Throwable cause) {
            long now = ticker.getAsLong();
            outages.increment();
            outageStart.set(now);
            lastReminder.set(now);
            failedThisOutage.reset();
            failedSinceReminder.reset();
            listener.onUnavailable(ResilientBucketStore.this.toString(), cause);
        }

        @Override
        public void closed() {
            Duration downFor = Duration.ofNanos(ticker.getAsLong() - outageStart.get());
            listener.onRecovered(ResilientBucketStore.this.toString(), downFor, failedThisOutage.sum());
        }
    }
}
