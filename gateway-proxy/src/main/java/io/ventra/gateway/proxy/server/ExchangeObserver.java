package io.ventra.gateway.proxy.server;

/**
 * Watches the proxy's connections and exchanges, for metrics and the access log. Called on event-loop threads:
 * implementations must be fast and must not block.
 */
public interface ExchangeObserver {
    /** Observes nothing. */
    ExchangeObserver NONE = new ExchangeObserver() {
    };

    /** A client connection opened. */
    default void onConnectionOpened() {
    }

    /** A client connection closed. */
    default void onConnectionClosed() {
    }

    /** A request head was received and an exchange began. */
    default void onExchangeStarted() {
    }

    /** The upstream could not be used; {@code kind} is connect, timeout, reset or protocol. */
    default void onUpstreamError(String kind) {
    }

    /** An exchange ended: its response was written, or the connection closed first. Called once. */
    default void onExchangeCompleted(ExchangeRecord record) {
    }
}
