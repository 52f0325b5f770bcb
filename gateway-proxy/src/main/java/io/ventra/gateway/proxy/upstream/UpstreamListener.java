package io.ventra.gateway.proxy.upstream;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** Receives what an upstream connection does while it serves one exchange. Called on its event loop. */
public interface UpstreamListener {
    /**
     * Tells whether a {@code 101 Switching Protocols} answers this exchange (a WebSocket upgrade). When true, a
     * 101 is passed to {@link #onResponse} and everything after it is left to the next handler.
     */
    default boolean acceptsSwitchingProtocols() {
        return false;
    }

    /** The response head arrived (a 1xx only when it is a 101 the listener accepts). */
    void onResponse(HttpResponse response);

    /** A piece of the response body arrived; the listener owns it. The last piece is a LastHttpContent. */
    void onContent(HttpContent content);

    /** The connection became writable or stopped being writable. */
    void onWritabilityChanged(boolean writable);

    /** The connection closed or failed before the exchange ended. */
    void onFailure(Throwable cause);
}
