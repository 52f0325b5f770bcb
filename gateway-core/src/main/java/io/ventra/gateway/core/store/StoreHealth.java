package io.ventra.gateway.core.store;

/** Whether a store answers, as last seen. Reading it never waits for the store. */
public enum StoreHealth {
    /** Answering; in-process stores are always up. */
    UP,
    /** Not answering: not connected, or failing until a probe succeeds; quotas follow their failure mode. */
    DOWN
}
