package io.ventra.gateway.core.store;

import static java.util.Objects.requireNonNull;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RefillMode;
import io.ventra.gateway.core.limit.NanoClock;

/** Translates our limit settings into bucket4j's bucket configuration, the same for every store. */
public final class BucketShapes {
    private BucketShapes() {
    }

    /** Returns the bucket4j configuration for {@code limit}: capacity = limit, refilled over the period. */
    public static BucketConfiguration configuration(LimitConfig limit) {
        Bandwidth bandwidth = limit.refill() == RefillMode.GREEDY
                ? Bandwidth.builder().capacity(limit.limit()).refillGreedy(limit.limit(), limit.period())
                        .initialTokens(limit.limit()).build()
                : Bandwidth.builder().capacity(limit.limit()).refillIntervally(limit.limit(), limit.period())
                        .initialTokens(limit.limit()).build();
        return BucketConfiguration.builder().addLimit(bandwidth).build();
    }

    /** Returns {@code clock} as bucket4j's time source: wall-clock based, so safe to share across hosts. */
    public static TimeMeter timeMeter(NanoClock clock) {
        requireNonNull(clock, "clock");
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.nanos();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** Converts bucket4j's probe into ours. */
    public static Probe probe(ConsumptionProbe probe) {
        return new Probe(probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForRefill(),
                probe.getNanosToWaitForReset());
    }
}
