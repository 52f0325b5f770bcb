package io.ventra.gateway.core.limit;

import static java.util.Objects.requireNonNull;

import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.core.store.Probe;
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
 */
public final class RateLimiter {
    private final BucketStore store;
    private final MemoryBucketStore memory;

    public RateLimiter(BucketStore store) {
        this.store = requireNonNull(store, "store");
        this.memory = store instanceof MemoryBucketStore ? (MemoryBucketStore) store : null;
    }

    /** Takes one token from each quota for {@code account}, or none. Never completes exceptionally by itself. */
    public CompletableFuture<Decision> acquire(String account, List<Quota> quotas) {
        requireNonNull(account, "account");
        if (quotas.isEmpty()) {
            return CompletableFuture.completedFuture(Decision.unlimited());
        }
        if (memory != null) {
            return CompletableFuture.completedFuture(acquireNow(account, quotas));
        }
        return acquireFrom(account, quotas, 0, null, null);
    }

    /** Returns the store this limiter charges. */
    public BucketStore store() {
        return store;
    }

    private Decision acquireNow(String account, List<Quota> quotas) {
        Quota binding = null;
        Probe bindingProbe = null;
        for (int i = 0; i < quotas.size(); i++) {
            Quota quota = quotas.get(i);
            Probe probe = memory.consume(account, quota);
            if (!probe.consumed()) {
                for (int j = 0; j < i; j++) {
                    memory.refund(account, quotas.get(j));
                }
                return limited(quota, probe);
            }
            if (bindingProbe == null || probe.remaining() < bindingProbe.remaining()) {
                binding = quota;
                bindingProbe = probe;
            }
        }
        return allowed(binding, bindingProbe);
    }

    private CompletableFuture<Decision> acquireFrom(
            String account, List<Quota> quotas, int index, Quota binding, Probe bindingProbe) {
        if (index == quotas.size()) {
            return CompletableFuture.completedFuture(allowed(binding, bindingProbe));
        }
        Quota quota = quotas.get(index);
        return store.tryConsume(account, quota).thenCompose(probe -> {
            if (!probe.consumed()) {
                for (int j = 0; j < index; j++) {
                    store.refund(account, quotas.get(j));
                }
                return CompletableFuture.completedFuture(limited(quota, probe));
            }
            boolean binds = bindingProbe == null || probe.remaining() < bindingProbe.remaining();
            return acquireFrom(account, quotas, index + 1, binds ? quota : binding, binds ? probe : bindingProbe);
        });
    }

    private static Decision allowed(Quota quota, Probe probe) {
        return new Decision(Decision.Outcome.ALLOWED, quota, probe.remaining(), probe.nanosToFull(), 0);
    }

    private static Decision limited(Quota quota, Probe probe) {
        return new Decision(Decision.Outcome.LIMITED, quota, 0, probe.nanosToNextToken(), probe.nanosToNextToken());
    }
}
