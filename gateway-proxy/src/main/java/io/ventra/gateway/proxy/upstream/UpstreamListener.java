package io.ventra.gateway.proxy.upstream;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/** Receives what an upstream connection does while it serves one exchange. Called on its event loop. */
public interface UpstreamListener {
    /** The response head arrived (never a 1xx). */
    void onResponse(HttpResponse response);

    /** A piece of the response body arrived; the listener owns it. The last piece is a LastHttpContent. */
    void onContent(HttpContent content);

    /** The connection became writable or stopped being writable. */
    void onWritabilityChanged(boolean writable);

    /** The connection closed or failed before the exchange ended. */
    void onFailure(Throwable cause);
}
