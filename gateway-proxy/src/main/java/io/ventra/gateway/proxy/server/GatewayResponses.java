package io.ventra.gateway.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.ventra.gateway.core.headers.Problem;
import io.ventra.gateway.core.headers.RateLimitHeaders;
import io.ventra.gateway.core.limit.Decision;
import java.util.Map;

/** Builds the responses the gateway writes itself, each with the full set of security headers. */
final class GatewayResponses {
    static final String REQUEST_ID = "X-Request-Id";

    private GatewayResponses() {
    }

    /**
     * Returns a problem response.
     *
     * @param decision  rate-limit decision to describe in headers, or {@code null}
     * @param keepAlive false adds {@code Connection: close}
     * @param head      true leaves the body out (HEAD request) but keeps its length
     */
    static FullHttpResponse problem(Problem problem, Map<String, String> securityHeaders, Decision decision,
            String requestId, boolean keepAlive, boolean head) {
        byte[] json = problem.with("request_id", requestId).toJson();
        ByteBuf body = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(json);
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(problem.status()), body);
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, json.length);
        headers.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (decision != null) {
            RateLimitHeaders.render(decision, headers::set);
        }
        if (requestId != null) {
            headers.set(REQUEST_ID, requestId);
        }
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        addSecurityHeaders(headers, securityHeaders);
        return response;
    }

    /** Adds each configured security header the message does not have yet; an upstream's own value wins. */
    static void addSecurityHeaders(HttpHeaders headers, Map<String, String> securityHeaders) {
        for (Map.Entry<String, String> header : securityHeaders.entrySet()) {
            if (!headers.contains(header.getKey())) {
                headers.set(header.getKey(), header.getValue());
            }
        }
    }
}
