package io.ventra.gateway.benchmarks;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.headers.RateLimitHeaders;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.limit.Quota;
import java.time.Duration;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Renders the rate-limit headers of an allowed decision (five headers) and of a refusal (six): into a sink
 * that only consumes the strings, which is the cost of formatting, and into Netty's {@code DefaultHttpHeaders}
 * as the proxy does, which adds the header map.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderBenchmark {
    private Decision allowed;
    private Decision limited;

    @Setup
    public void setUp() {
        Quota quota = new Quota(Quota.Scope.PLAN, new LimitConfig("pro", 120, Duration.ofMinutes(1),
                RefillMode.GREEDY));
        allowed = new Decision(Decision.Outcome.ALLOWED, quota, 117, 1_500_000_000L, 0);
        limited = new Decision(Decision.Outcome.LIMITED, quota, 0, 500_000_000L, 500_000_000L);
    }

    @Benchmark
    public void renderAllowed(Blackhole blackhole) {
        RateLimitHeaders.render(allowed, (name, value) -> {
            blackhole.consume(name);
            blackhole.consume(value);
        });
    }

    @Benchmark
    public void renderLimited(Blackhole blackhole) {
        RateLimitHeaders.render(limited, (name, value) -> {
            blackhole.consume(name);
            blackhole.consume(value);
        });
    }

    @Benchmark
    public HttpHeaders renderAllowedIntoNettyHeaders() {
        HttpHeaders headers = new DefaultHttpHeaders();
        RateLimitHeaders.render(allowed, headers::set);
        return headers;
    }
}
