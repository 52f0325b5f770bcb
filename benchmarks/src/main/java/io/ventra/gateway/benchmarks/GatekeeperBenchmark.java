package io.ventra.gateway.benchmarks;

import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.Gatekeeper;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.MemoryBucketStore;
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
 * The whole local hot path, {@link Gatekeeper#admit} on the memory store: normalize the path, identify the key
 * (SHA-256), route over 50 routes, pick quotas, charge the buckets. Target (issue 6): at most 1 µs and 1 KB per
 * request.
 *
 * <ul>
 *   <li>{@code admitHotAccount*}: one account, all requests;</li>
 *   <li>{@code admit100kAccounts}: 100,000 accounts in turn, every bucket already created;</li>
 *   <li>{@code PlanOnly}: route 1, plan bucket only; the others: route 27, endpoint and plan buckets.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GatekeeperBenchmark {
    private static final int ACCOUNTS = 100_000;
    private static final String CLIENT = "127.0.0.1";

    private final String[] keys = new String[ACCOUNTS];
    private Gatekeeper gatekeeper;
    private int next;

    @Setup
    public void setUp() {
        gatekeeper = Gatekeeper.create(BenchmarkConfigs.config(ACCOUNTS),
                new MemoryBucketStore(NanoClock.SYSTEM, 1_000_000));
        for (int i = 0; i < ACCOUNTS; i++) {
            keys[i] = BenchmarkConfigs.key(i);
            Admission admission = gatekeeper.admit(keys[i], CLIENT, "GET", BenchmarkConfigs.MID_ROUTE_TARGET)
                    .join();
            if (!admission.isPass()) {
                throw new IllegalStateException("Set-up request refused: " + admission.verdict());
            }
        }
    }

    @Benchmark
    public Admission admitHotAccountPlanOnly() {
        return gatekeeper.admit(keys[0], CLIENT, "GET", BenchmarkConfigs.FIRST_ROUTE_TARGET).join();
    }

    @Benchmark
    public Admission admitHotAccount() {
        return gatekeeper.admit(keys[0], CLIENT, "GET", BenchmarkConfigs.MID_ROUTE_TARGET).join();
    }

    @Benchmark
    public Admission admit100kAccounts() {
        return gatekeeper.admit(keys[nextIndex()], CLIENT, "GET", BenchmarkConfigs.MID_ROUTE_TARGET).join();
    }

    @Benchmark
    public Admission admitUnknownKey() {
        return gatekeeper.admit("not-a-key", CLIENT, "GET", BenchmarkConfigs.MID_ROUTE_TARGET).join();
    }

    private int nextIndex() {
        int index = next;
        next = index + 1 == ACCOUNTS ? 0 : index + 1;
        return index;
    }
}
