package io.ventra.gateway.proxy.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.ResilientBucketStore;
import io.ventra.gateway.core.store.StoreHealth;
import io.ventra.gateway.core.store.StoreStats;
import io.ventra.gateway.proxy.server.ExchangeObserver;
import io.ventra.gateway.proxy.server.ExchangeRecord;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts what the proxy does, in Prometheus form, for {@code GET /metrics} on the admin port. It watches every
 * connection and exchange through {@link ExchangeObserver}; the store's gauges read a supplier that never waits
 * for the store.
 *
 * <p>Label values come only from the configuration or from small fixed sets, never from the request: the route
 * is the route's pattern (not the path), an unknown method is {@code OTHER}, the plan and endpoint are names from
 * the YAML. Meters are cached per label set so that the hot path does one map lookup per meter.
 *
 * <p>Names as exposed: {@code ventra_requests_total{route,method,status_class}},
 * {@code ventra_request_duration_seconds{route}}, {@code ventra_upstream_duration_seconds{route}},
 * {@code ventra_store_duration_seconds}, {@code ventra_decisions_total{plan,endpoint,outcome}},
 * {@code ventra_store_errors_total}, {@code ventra_store_up}, {@code ventra_store_circuit_open},
 * {@code ventra_upstream_errors_total{kind}}, {@code ventra_connections_open}, {@code ventra_requests_in_flight},
 * {@code ventra_config_reloads_total{result}}, plus JVM, process and Netty allocator meters.
 */
public final class GatewayMetrics implements ExchangeObserver, AutoCloseable {
    /** The label value used when a request has no route, plan or endpoint. */
    public static final String NONE = "none";

    private static final Set<String> METHODS = Set.of(
            "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT");
    private static final Duration MIN_LATENCY = Duration.ofMillis(1);
    private static final Duration MAX_LATENCY = Duration.ofSeconds(60);
    private static final Duration MIN_STORE_LATENCY = Duration.ofNanos(100_000);
    private static final Duration MAX_STORE_LATENCY = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> requestDurations = new ConcurrentHashMap<>();
    private final Map<String, Timer> upstreamDurations = new ConcurrentHashMap<>();
    private final Map<DecisionKey, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final Map<String, Counter> reloads = new ConcurrentHashMap<>();
    private final Timer storeDuration;
    /** Counts failed decisions when the store keeps no counts of its own; null when it does. */
    private final Counter decisionErrors;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    /**
     * Creates the registry with the gateway's meters and the JVM, process and Netty binders.
     *
     * @param store the rate-limit store; its health is read at scrape time and never waits
     */
    public GatewayMetrics(BucketStore store) {
        requireNonNull(store, "store");
        // Registered at zero, so alerts and dashboards find every series before the first event.
        for (String kind : new String[] {"connect", "timeout", "reset", "protocol"}) {
            upstreamError(kind);
        }
        reload("success");
        reload("failure");
        Gauge.builder("ventra.connections.open", connections, AtomicInteger::get)
                .description("Client connections open on the proxy port").register(registry);
        Gauge.builder("ventra.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Requests received and not yet answered").register(registry);
        Gauge.builder("ventra.store.up", store, s -> s.health() == StoreHealth.UP ? 1 : 0)
                .description("1 when the rate-limit store answers, 0 when it is down").register(registry);
        Gauge.builder("ventra.store.circuit.open", store, s -> s.health() == StoreHealth.UP ? 0 : 1)
                .description("1 while store calls are skipped until a probe succeeds").register(registry);
        storeDuration = Timer.builder("ventra.store.duration")
                .description("Time to decide a request against the rate-limit store")
                .publishPercentileHistogram()
                .minimumExpectedValue(MIN_STORE_LATENCY)
                .maximumExpectedValue(MAX_STORE_LATENCY)
                .register(registry);
        String errorsHelp = "Store calls that failed, timed out, or were skipped while the store was down";
        if (store instanceof ResilientBucketStore) {
            // The guarded store counts every failed call, also those the local fallback then decided.
            ResilientBucketStore resilient = (ResilientBucketStore) store;
            FunctionCounter.builder("ventra.store.errors", resilient, r -> errors(r.stats()))
                    .description(errorsHelp).register(registry);
            decisionErrors = null;
        } else {
            decisionErrors = Counter.builder("ventra.store.errors").description(errorsHelp).register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider) {
            new NettyAllocatorMetrics((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).bindTo(registry);
        }
    }

    /** Returns the registry, for tests and for binding more meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Returns how many requests were received and not yet answered. */
    public int requestsInFlight() {
        return inFlight.get();
    }

    /** Returns every meter in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void onConnectionOpened() {
        connections.incrementAndGet();
    }

    @Override
    public void onConnectionClosed() {
        connections.decrementAndGet();
    }

    @Override
    public void onExchangeStarted() {
        inFlight.incrementAndGet();
    }

    @Override
    public void onUpstreamError(String kind) {
        upstreamError(kind).increment();
    }

    @Override
    public void onExchangeCompleted(ExchangeRecord record) {
        inFlight.decrementAndGet();
        Admission admission = record.admission();
        String route = admission == null || admission.route() == null
                ? NONE : admission.route().path().toString();
        requests.computeIfAbsent(new RequestKey(route, method(record.method()), statusClass(record.status())),
                this::requestCounter).increment();
        requestDurations.computeIfAbsent(route, r -> latency("ventra.request.duration",
                "Time from the request head to the end of the response", r))
                .record(record.totalNanos(), TimeUnit.NANOSECONDS);
        if (record.upstreamNanos() >= 0) {
            upstreamDurations.computeIfAbsent(route, r -> latency("ventra.upstream.duration",
                    "Time from sending the request upstream to the end of its response", r))
                    .record(record.upstreamNanos(), TimeUnit.NANOSECONDS);
        }
        recordDecision(record, admission);
    }

    /** Counts one configuration reload; {@code result} is {@code success} or {@code failure}. */
    public void onReload(String result) {
        reload(result).increment();
    }

    private Counter upstreamError(String kind) {
        return upstreamErrors.computeIfAbsent(kind, k -> Counter.builder("ventra.upstream.errors")
                .description("Upstream failures by kind: connect, timeout, reset, protocol")
                .tag("kind", k).register(registry));
    }

    private Counter reload(String result) {
        return reloads.computeIfAbsent(result, r -> Counter.builder("ventra.config.reloads")
                .description("Configuration reloads by result").tag("result", r).register(registry));
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }

    private void recordDecision(ExchangeRecord record, Admission admission) {
        if (admission == null) {
            // A store call that failed before it produced a decision (the proxy answered 503).
            if (record.storeNanos() >= 0) {
                storeDuration.record(record.storeNanos(), TimeUnit.NANOSECONDS);
                countDecisionError();
            }
            return;
        }
        Decision decision = admission.decision();
        if (decision == null) {
            return;
        }
        Decision.Outcome outcome = decision.outcome();
        if (outcome != Decision.Outcome.UNLIMITED && record.storeNanos() >= 0) {
            storeDuration.record(record.storeNanos(), TimeUnit.NANOSECONDS);
        }
        if (outcome.name().startsWith("FAILURE")) {
            // failure_allowed, failure_denied: the store did not answer; the failure mode decided instead.
            countDecisionError();
        }
        String plan = admission.caller() == null ? NONE : admission.caller().plan().name();
        Quota quota = decision.quota();
        String endpoint = quota == null || quota.scope() != Quota.Scope.ENDPOINT ? NONE : quota.limit().name();
        decisions.computeIfAbsent(new DecisionKey(plan, endpoint, outcome), this::decisionCounter).increment();
    }

    private void countDecisionError() {
        if (decisionErrors != null) {
            decisionErrors.increment();
        }
    }

    private static double errors(StoreStats stats) {
        return stats.failures() + stats.skipped();
    }

    private Counter requestCounter(RequestKey key) {
        return Counter.builder("ventra.requests")
                .description("Requests answered, by route pattern, method and status class")
                .tag("route", key.route).tag("method", key.method).tag("status_class", key.statusClass)
                .register(registry);
    }

    private Counter decisionCounter(DecisionKey key) {
        return Counter.builder("ventra.decisions")
                .description("Rate-limit decisions by plan, endpoint quota and outcome")
                .tag("plan", key.plan).tag("endpoint", key.endpoint)
                .tag("outcome", key.outcome.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    private Timer latency(String name, String description, String route) {
        return Timer.builder(name).description(description).tag("route", route)
                .publishPercentileHistogram()
                .minimumExpectedValue(MIN_LATENCY)
                .maximumExpectedValue(MAX_LATENCY)
                .register(registry);
    }

    private static String method(String method) {
        return METHODS.contains(method) ? method : "OTHER";
    }

    private static String statusClass(int status) {
        return status < 100 || status > 599 ? NONE : status / 100 + "xx";
    }

    private record RequestKey(String route, String method, String statusClass) {
    }

    private record DecisionKey(String plan, String endpoint, Decision.Outcome outcome) {
    }
}
