package io.ventra.gateway.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ventra.gateway.core.headers.Problem;
import io.ventra.gateway.proxy.Version;
import io.ventra.gateway.proxy.server.GatewayServer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves the admin port, after {@code HttpServerCodec} and an aggregator: {@code GET /health} (alias of
 * {@code /health/ready}), {@code /health/live} and {@code /health/ready}, each a small JSON document. Answers
 * everything else with a problem body. Never touches the proxy's hot path.
 */
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayServer server;

    public AdminHandler(GatewayServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws JsonProcessingException {
        if (request.decoderResult().isFailure()) {
            send(ctx, request, problem(400, "Bad Request", "The request is not valid HTTP/1.1."), false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            send(ctx, request, problem(405, "Method Not Allowed", "The admin endpoints answer GET only."), true);
            return;
        }
        switch (path) {
            case "/health/live":
                send(ctx, request, json(HttpResponseStatus.OK, health("UP", false)), true);
                break;
            case "/health":
            case "/health/ready":
                boolean ready = !server.isDraining();
                send(ctx, request, json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        health(ready ? "UP" : "DRAINING", true)), true);
                break;
            default:
                send(ctx, request, problem(404, "Not Found", "Unknown admin endpoint."), true);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private Map<String, Object> health(String status, boolean components) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("version", Version.VERSION);
        body.put("commit", Version.COMMIT);
        if (components) {
            Map<String, Object> store = new LinkedHashMap<>();
            store.put("type", server.store().type());
            store.put("status", "UP");
            Map<String, Object> parts = new LinkedHashMap<>();
            parts.put("store", store);
            parts.put("draining", server.isDraining());
            parts.put("connections", server.openConnections());
            body.put("components", parts);
        }
        return body;
    }

    private static FullHttpResponse json(HttpResponseStatus status, Map<String, Object> body)
            throws JsonProcessingException {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(JSON.writeValueAsBytes(body)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    private static FullHttpResponse problem(int status, String title, String detail) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(Problem.of(status, title, detail).toJson()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return response;
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response,
            boolean keepAlive) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        for (Map.Entry<String, String> header : server.config().securityHeaders().entrySet()) {
            response.headers().set(header.getKey(), header.getValue());
        }
        boolean open = keepAlive && HttpUtil.isKeepAlive(request);
        if (!open) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (HttpMethod.HEAD.equals(request.method())) {
            response.content().clear();
        }
        var write = ctx.writeAndFlush(response);
        if (!open) {
            write.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
