package io.ventra.gateway.core.store;

import io.ventra.gateway.core.limit.Quota;
import java.util.concurrent.CompletableFuture;

/**
 * Holds token buckets, one per account and {@link Quota}. Implementations never block the caller: a store
 * backed by a server completes the future later, on its own threads.
 */
public interface BucketStore extends AutoCloseable {
    /**
     * Takes one token from the account's bucket for {@code quota}, creating a full bucket on first use.
     * A bucket whose quota changed shape (a config reload) takes the new shape on this call.
     */
    CompletableFuture<Probe> tryConsume(String account, Quota quota);

    /** Gives back one token taken by {@link #tryConsume}, never exceeding the capacity. */
    CompletableFuture<Void> refund(String account, Quota quota);

    /** Returns the store's kind for health output, e.g. {@code memory}. */
    String type();

    /**
     * Returns whether the store answers, as last seen; never waits. In-process stores are always up; a remote
     * store is down while it is not connected or known to be failing.
     */
    default StoreHealth health() {
        return StoreHealth.UP;
    }

    @Override
    void close();
}
