package io.ventra.gateway.proxy.server;

import java.util.List;

/**
 * Watches the proxy's connections and exchanges, for metrics and the access log. Called on event-loop threads:
 * implementations must be fast and must not block.
 */
public interface ExchangeObserver {
    /** Observes nothing. */
    ExchangeObserver NONE = new ExchangeObserver() {
    };

    /** Returns an observer that tells each of {@code observers}, in order. */
    static ExchangeObserver of(ExchangeObserver... observers) {
        List<ExchangeObserver> all = List.of(observers);
        return new ExchangeObserver() {
            @Override
            public void onConnectionOpened() {
                all.forEach(ExchangeObserver::onConnectionOpened);
            }

            @Override
            public void onConnectionClosed() {
                all.forEach(ExchangeObserver::onConnectionClosed);
            }

            @Override
            public void onExchangeStarted() {
                all.forEach(ExchangeObserver::onExchangeStarted);
            }

            @Override
            public void onUpstreamError(String kind) {
                all.forEach(o -> o.onUpstreamError(kind));
            }

            @Override
            public void onExchangeCompleted(ExchangeRecord record) {
                all.forEach(o -> o.onExchangeCompleted(record));
            }
        };
    }

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
