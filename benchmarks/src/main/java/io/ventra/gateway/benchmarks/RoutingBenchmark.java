package io.ventra.gateway.benchmarks;

import io.ventra.gateway.core.Gatekeeper;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.PlanConfig;
import io.ventra.gateway.core.config.RouteConfig;
import io.ventra.gateway.core.limit.LimitPolicy;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.path.PathNormalizer;
import io.ventra.gateway.core.store.MemoryBucketStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Finds the route and the quotas for a request over the 50-route, 8-quota table of {@link BenchmarkConfigs}:
 * path normalization, first-match routing (route 1, route 27, catch-all after 49 misses), and quota selection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {
    private Gatekeeper gatekeeper;
    private LimitPolicy policy;
    private PlanConfig plan;
    private String firstPath;
    private String midPath;
    private String catchAllPath;

    @Setup
    public void setUp() {
        GatewayConfig config = BenchmarkConfigs.config(1);
        gatekeeper = Gatekeeper.create(config, new MemoryBucketStore(NanoClock.SYSTEM, 1_000));
        policy = new LimitPolicy(config);
        plan = config.plans().get(BenchmarkConfigs.BENCH_PLAN);
        firstPath = PathNormalizer.normalize(BenchmarkConfigs.FIRST_ROUTE_TARGET);
        midPath = PathNormalizer.normalize(BenchmarkConfigs.MID_ROUTE_TARGET);
        catchAllPath = PathNormalizer.normalize(BenchmarkConfigs.CATCH_ALL_TARGET);
    }

    @Benchmark
    public String normalize() {
        return PathNormalizer.normalize(BenchmarkConfigs.MID_ROUTE_TARGET);
    }

    @Benchmark
    public RouteConfig routeFirst() {
        return gatekeeper.route(firstPath);
    }

    @Benchmark
    public RouteConfig routeMid() {
        return gatekeeper.route(midPath);
    }

    @Benchmark
    public RouteConfig routeCatchAll() {
        return gatekeeper.route(catchAllPath);
    }

    @Benchmark
    public List<Quota> quotasMid() {
        return policy.quotas(plan, "GET", midPath);
    }
}
