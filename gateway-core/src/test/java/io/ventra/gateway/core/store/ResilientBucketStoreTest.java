package io.ventra.gateway.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The guard around a remote store: timeouts, the circuit breaker, outage reports and the local fallback. */
final class ResilientBucketStoreTest {
    private static final Quota FREE = new Quota(Quota.Scope.PLAN,
            new LimitConfig("free", 30, Duration.ofMinutes(1), RefillMode.GREEDY));
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final AtomicLong ticker = new AtomicLong();
    private final ScriptedStore remote = new ScriptedStore();
    private final RecordingListener listener = new RecordingListener();
    private final ResilientBucketStore store = new ResilientBucketStore(remote, Duration.ofMillis(200), 3,
            new MemoryBucketStore(new ManualClock(), 1_000), listener, ticker::get, 3, PROBE_INTERVAL);

    @Test
    void passesAnswersThroughWhileTheStoreWorks() throws Exception {
        assertThat(store.tryConsume("acme", FREE).get(1, TimeUnit.SECONDS).remaining()).isEqualTo(29);

        assertThat(store.health()).isEqualTo(StoreHealth.UP);
        assertThat(store.stats().calls()).isEqualTo(1);
        assertThat(listener.events).isEmpty();
    }

    @Test
    void threeFailuresInARowOpenTheCircuitAndLaterCallsSkipTheStore() {
        remote.failing = true;
        for (int i = 0; i < 3; i++) {
            assertFailsUnavailable(store.tryConsume("acme", FREE));
        }
        assertThat(store.health()).isEqualTo(StoreHealth.DOWN);

        for (int i = 0; i < 100; i++) {
            assertFailsUnavailable(store.tryConsume("acme", FREE));
        }

        assertThat(remote.calls.get()).isEqualTo(3);
        assertThat(store.stats().skipped()).isEqualTo(100);
        assertThat(store.stats().outages()).isEqualTo(1);
        assertThat(listener.events).containsExactly("unavailable");
    }

    @Test
    void aSuccessBetweenFailuresKeepsTheCircuitClosed() {
        for (int i = 0; i < 10; i++) {
            remote.failing = i % 3 != 2;
            store.tryConsume("acme", FREE);
        }

        assertThat(store.health()).isEqualTo(StoreHealth.UP);
        assertThat(remote.calls.get()).isEqualTo(10);
    }

    @Test
    void probesOncePerIntervalAndClosesWhenAProbeSucceeds() throws Exception {
        openCircuit();

        ticker.addAndGet(PROBE_INTERVAL.toNanos() - 1);
        assertFailsUnavailable(store.tryConsume("acme", FREE));
        assertThat(remote.calls.get()).isEqualTo(3);

        ticker.addAndGet(1);
        assertFailsUnavailable(store.tryConsume("acme", FREE));
        assertFailsUnavailable(store.tryConsume("acme", FREE));
        assertThat(remote.calls.get()).as("one probe, the second call is skipped").isEqualTo(4);

        remote.failing = false;
        ticker.addAndGet(PROBE_INTERVAL.toNanos());
        assertThat(store.tryConsume("acme", FREE).get(1, TimeUnit.SECONDS).consumed()).isTrue();

        assertThat(store.health()).isEqualTo(StoreHealth.UP);
        assertThat(listener.events).containsExactly("unavailable", "recovered");
        // the failure that opened the circuit, one skipped call, the failed probe, another skipped call
        assertThat(listener.recoveredFailedCalls).isEqualTo(4);
    }

    @Test
    void aLateSuccessOfACallMadeBeforeTheOutageDoesNotEndIt() {
        remote.hanging = true;
        CompletableFuture<Probe> early = store.tryConsume("acme", FREE);
        remote.hanging = false;
        openCircuit();

        remote.completeHanging();

        assertThat(early).isCompleted();
        assertThat(store.health()).isEqualTo(StoreHealth.DOWN);
        assertThat(listener.events).containsExactly("unavailable");
    }

    @Test
    void aCallThatHangsFailsAfterTheTimeoutAndCountsAsAFailure() {
        remote.hanging = true;

        CompletableFuture<Probe> call = store.tryConsume("acme", FREE);

        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("within 200 ms");
        assertThat(store.stats().timeouts()).isEqualTo(1);
    }

    @Test
    void remindsAtMostOnceAMinuteWithTheCountSinceTheLastReport() {
        openCircuit();
        for (int i = 0; i < 50; i++) {
            store.tryConsume("acme", FREE);
        }
        assertThat(listener.events).containsExactly("unavailable");

        ticker.addAndGet(ResilientBucketStore.REMINDER_INTERVAL.toNanos());
        store.tryConsume("acme", FREE);
        for (int i = 0; i < 50; i++) {
            store.tryConsume("acme", FREE);
        }

        assertThat(listener.events).containsExactly("unavailable", "still-unavailable");
        // the failure that opened the circuit and the 51 calls skipped up to the reminder
        assertThat(listener.reminderFailedCalls).isEqualTo(52);
    }

    @Test
    void localFallbackBucketsHoldTheLimitDividedByTheExpectedInstances() {
        assertThat(store.localQuota(FREE).limit().limit()).isEqualTo(10);
        assertThat(store.localQuota(FREE).limit().period()).isEqualTo(Duration.ofMinutes(1));
        Quota tiny = new Quota(Quota.Scope.ENDPOINT,
                new LimitConfig("tiny", 2, Duration.ofMinutes(1), RefillMode.GREEDY));
        assertThat(store.localQuota(tiny).limit().limit()).as("never below 1").isEqualTo(1);

        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            probes.add(store.consumeLocally("acme", FREE));
        }

        assertThat(probes.get(0).remaining()).isEqualTo(9);
        assertThat(probes.get(9).remaining()).isZero();
        assertThat(probes.get(10).consumed()).isFalse();
        assertThat(remote.calls.get()).isZero();
        assertThat(store.stats().localDecisions()).isEqualTo(11);
    }

    private void openCircuit() {
        remote.failing = true;
        for (int i = 0; i < 3; i++) {
            store.tryConsume("acme", FREE);
        }
        assertThat(store.health()).isEqualTo(StoreHealth.DOWN);
    }

    private static void assertFailsUnavailable(CompletableFuture<Probe> future) {
        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::join).hasCauseInstanceOf(StoreUnavailableException.class);
    }

    /** A remote store that answers at once, fails at once, or never answers, as told. */
    private static final class ScriptedStore implements BucketStore {
        private final MemoryBucketStore buckets = new MemoryBucketStore(new ManualClock(), 1_000);
        private final AtomicInteger calls = new AtomicInteger();
        private final List<CompletableFuture<Probe>> hung = new ArrayList<>();
        private volatile boolean failing;
        private volatile boolean hanging;

        @Override
        public CompletableFuture<Probe> tryConsume(String account, Quota quota) {
            calls.incrementAndGet();
            if (hanging) {
                CompletableFuture<Probe> never = new CompletableFuture<>();
                hung.add(never);
                return never;
            }
            if (failing) {
                return CompletableFuture.failedFuture(new IllegalStateException("Connection refused"));
            }
            return buckets.tryConsume(account, quota);
        }

        @Override
        public CompletableFuture<Void> refund(String account, Quota quota) {
            return buckets.refund(account, quota);
        }

        void completeHanging() {
            hung.forEach(f -> f.complete(new Probe(true, 29, 0, 0)));
        }

        @Override
        public String type() {
            return "scripted";
        }

        @Override
        public void close() {
            buckets.close();
        }
    }

    private static final class RecordingListener implements StoreListener {
        private final List<String> events = new ArrayList<>();
        private long recoveredFailedCalls;
        private long reminderFailedCalls;

        @Override
        public synchronized void onUnavailable(String store, Throwable cause) {
            events.add("unavailable");
        }

        @Override
        public synchronized void onStillUnavailable(String store, Duration downFor, long failedCalls) {
            events.add("still-unavailable");
            reminderFailedCalls = failedCalls;
        }

        @Override
        public synchronized void onRecovered(String store, Duration downFor, long failedCalls) {
            events.add("recovered");
            recoveredFailedCalls = failedCalls;
        }
    }
}
