package io.ventra.gateway.core.limit;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.config.FailureMode;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.core.store.Probe;
import io.ventra.gateway.core.store.ResilientBucketStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Decides whether an account may make one more request under a set of stacked quotas (its plan, plus the
 * endpoint quotas of the route).
 *
 * <p>All or nothing: a request is charged one token by every quota or by none. Quotas are tried in order
 * (endpoint quotas before the plan, since they refuse more often); when one refuses, the tokens already taken
 * from the earlier ones are given back. Example, Free 30/min with Discovery 5/min: the 6th Discovery call in a
 * burst is refused by Discovery and leaves the plan at 25, not 24. While a refund is in flight a concurrent
 * request of the same account may see one token fewer; it can be refused early, never admitted wrongly.
 *
 * <p>When allowed, the decision describes the binding quota, the one with the fewest tokens left; when
 * refused, the quota that refused.
 *
 * <p>Shadow quotas are charged like the others but never refuse and never bind: when one would refuse, the
 * request still passes, as {@link Decision.Outcome#SHADOW_LIMITED}, naming it.
 *
 * <p>When the store cannot answer for a quota (it failed, timed out, or is known to be down), the quota's
 * failure mode decides: allow skips it, deny refuses the request with {@link Decision.Outcome#FAILURE_DENIED}
 * (giving back tokens already taken), local takes a token from the store's local fallback bucket (for a store
 * without one, such as a custom store, local acts as allow). A shadow quota always acts as allow. After one
 * failure the remaining quotas of the same request skip the store, so a request waits for at most one failed
 * call. A decision never completes exceptionally.
 */
public final class RateLimiter {
    /** {@code Retry-After} of a failure-denied decision: when the store is probed again. */
    static final long FAILURE_RETRY_NANOS = ResilientBucketStore.PROBE_INTERVAL.toNanos();

    private final BucketStore store;
    private final MemoryBucketStore memory;
    private final ResilientBucketStore resilient;

    public RateLimiter(BucketStore store) {
        this.store = requireNonNull(store, "store");
        this.memory = store instanceof MemoryBucketStore ? (MemoryBucketStore) store : null;
        this.resilient = store instanceof ResilientBucketStore ? (ResilientBucketStore) store : null;
    }

    /** Takes one token from each quota for {@code account}, or none. Never completes exceptionally by itself. */
    public CompletableFuture<Decision> acquire(String account, List<Quota> quotas) {
        requireNonNull(account, "account");
        if (quotas.isEmpty()) {
            return CompletableFuture.completedFuture(Decision.unlimited());
        }
        Tally tally = new Tally(account);
        if (memory != null) {
            return CompletableFuture.completedFuture(acquireNow(tally, quotas));
        }
        return acquireFrom(tally, quotas, 0);
    }

    /** Returns the store this limiter charges. */
    public BucketStore store() {
        return store;
    }

    private Decision acquireNow(Tally tally, List<Quota> quotas) {
        for (Quota quota : quotas) {
            Decision refused = tally.onProbe(quota, quota, memory.consume(tally.account, quota), false);
            if (refused != null) {
                return refused;
            }
        }
        return tally.decision();
    }

    // TODO: quotas are charged one store call after another, so a request whose first call answers slowly and
    // whose second times out waits up to twice the timeout (docs/redis-store.md, known limitations).
    private CompletableFuture<Decision> acquireFrom(Tally tally, List<Quota> quotas, int index) {
        if (index == quotas.size()) {
            return CompletableFuture.completedFuture(tally.decision());
        }
        Quota quota = quotas.get(index);
        CompletableFuture<Decision> step;
        if (tally.storeFailure != null) {
            step = CompletableFuture.completedFuture(tally.onFailure(quota, tally.storeFailure));
        } else {
            step = call(tally.account, quota).handle((probe, error) -> error == null
                    ? tally.onProbe(quota, quota, probe, false)
                    : tally.onFailure(quota, error));
        }
        return step.thenCompose(refused -> refused != null
                ? CompletableFuture.completedFuture(refused)
                : acquireFrom(tally, quotas, index + 1));
    }

    private CompletableFuture<Probe> call(String account, Quota quota) {
        try {
            return store.tryConsume(account, quota);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Decision allowed(Quota quota, Probe probe) {
        return new Decision(Decision.Outcome.ALLOWED, quota, probe.remaining(), probe.nanosToFull(), 0);
    }

    private static Decision limited(Quota quota, Probe probe) {
        return new Decision(Decision.Outcome.LIMITED, quota, 0, probe.nanosToNextToken(), probe.nanosToNextToken());
    }

    /**
     * What one request has been charged so far. Its steps run one after another (each after the previous
     * store call completed), so it needs no synchronization although they may run on different threads.
     */
    private final class Tally {
        private final String account;
        private final List<Charge> charged = new ArrayList<>(2);
        private Quota binding;
        private Probe bindingProbe;
        private Quota shadow;
        private Probe shadowProbe;
        private Quota failureAllowed;
        private Throwable storeFailure;

        Tally(String account) {
            this.account = account;
        }

        /**
         * Records one bucket's answer; returns the refusal when it refused, else {@code null}.
         *
         * @param shown the quota to describe in the decision: the local fallback's shape when {@code local}
         */
        Decision onProbe(Quota quota, Quota shown, Probe probe, boolean local) {
            if (probe.consumed()) {
                charged.add(new Charge(quota, local));
                if (!quota.shadow() && (bindingProbe == null || probe.remaining() < bindingProbe.remaining())) {
                    binding = shown;
                    bindingProbe = probe;
                }
                return null;
            }
            if (quota.shadow()) {
                if (shadow == null) {
                    shadow = shown;
                    shadowProbe = probe;
                }
                return null;
            }
            refundAll();
            return limited(shown, probe);
        }

        /** Applies the quota's failure mode; returns the refusal when it denies, else {@code null}. */
        Decision onFailure(Quota quota, Throwable error) {
            if (storeFailure == null) {
                storeFailure = error;
            }
            FailureMode mode = quota.shadow() ? FailureMode.ALLOW : quota.onFailure();
            if (mode == FailureMode.LOCAL && resilient == null) {
                mode = FailureMode.ALLOW;
            }
            switch (mode) {
                case DENY:
                    refundAll();
                    return new Decision(Decision.Outcome.FAILURE_DENIED, quota, 0, 0, FAILURE_RETRY_NANOS);
                case LOCAL:
                    return onProbe(quota, resilient.localQuota(quota), resilient.consumeLocally(account, quota), true);
                default:
                    if (failureAllowed == null) {
                        failureAllowed = quota;
                    }
                    return null;
            }
        }

        /** Returns the decision once every quota let the request pass. */
        Decision decision() {
            if (shadow != null) {
                return bindingProbe == null
                        ? new Decision(Decision.Outcome.SHADOW_LIMITED, null, 0, 0, shadowProbe.nanosToNextToken(),
                                shadow)
                        : new Decision(Decision.Outcome.SHADOW_LIMITED, binding, bindingProbe.remaining(),
                                bindingProbe.nanosToFull(), shadowProbe.nanosToNextToken(), shadow);
            }
            if (binding != null) {
                return allowed(binding, bindingProbe);
            }
            if (failureAllowed != null) {
                return new Decision(Decision.Outcome.FAILURE_ALLOWED, failureAllowed, 0, 0, 0);
            }
            // Only shadow quotas applied and none would refuse: nothing enforced limits this request.
            return Decision.unlimited();
        }

        private void refundAll() {
            for (Charge charge : charged) {
                if (charge.local) {
                    resilient.refundLocally(account, charge.quota);
                } else if (memory != null) {
                    memory.refund(account, charge.quota);
                } else {
                    refundQuietly(charge.quota);
                }
            }
        }

        private void refundQuietly(Quota quota) {
            try {
                store.refund(account, quota);
            } catch (RuntimeException ignored) {
                // Best effort: a refund the store cannot take only leaves that bucket one token short.
            }
        }
    }

    private record Charge(Quota quota, boolean local) {
    }
}
