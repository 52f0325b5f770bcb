package io.ventra.gateway.benchmarks;

import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.identity.ApiKeys;
import io.ventra.gateway.core.identity.Caller;
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
 * Identifies a caller by API key among 100,000 keys: a known key (hit) and an unknown one (miss). There is no
 * cache in front of {@link ApiKeys}; every lookup hashes the presented key with SHA-256, so hit and miss cost
 * about the same, which is what keeps lookups constant-time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IdentityBenchmark {
    private ApiKeys keys;
    private String knownKey;
    private String unknownKey;

    @Setup
    public void setUp() {
        GatewayConfig config = BenchmarkConfigs.config(100_000);
        keys = new ApiKeys(config.identity().keys(), config.plans());
        knownKey = BenchmarkConfigs.key(54_321);
        unknownKey = "not-a-key-54321";
    }

    @Benchmark
    public Caller lookupHit() {
        return keys.lookup(knownKey);
    }

    @Benchmark
    public Caller lookupMiss() {
        return keys.lookup(unknownKey);
    }
}
