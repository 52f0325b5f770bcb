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
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.RouteConfig;
import io.ventra.gateway.core.headers.Problem;
import io.ventra.gateway.core.store.StoreHealth;
import io.ventra.gateway.proxy.Version;
import io.ventra.gateway.proxy.reload.ConfigReloader;
import io.ventra.gateway.proxy.reload.ReloadResult;
import io.ventra.gateway.proxy.server.GatewayServer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Serves the admin port, after {@code HttpServerCodec} and an aggregator:
 * <ul>
 *   <li>{@code GET /health/live}: 200 while the process serves, also while it drains;</li>
 *   <li>{@code GET /health/ready} (and its alias {@code /health}): 200 when the config is loaded, the store
 *       answers or its failure mode lets requests through, and no shutdown has begun; else 503. The JSON names
 *       each component ({@code config}, {@code store}, {@code upstreams}, {@code draining}). Upstreams are
 *       probed with a TCP connect bounded by {@value #PROBE_TIMEOUT_MILLIS} ms and are reported only: an upstream
 *       outage does not take the gateway out of rotation. The store is read as last seen, never waited for;</li>
 *   <li>{@code GET /metrics}: Prometheus text, built off the event loop;</li>
 *   <li>{@code POST /admin/reload}: reloads the configuration; needs {@code Authorization: Bearer <token>} with
 *       the token from {@code VENTRA_ADMIN_TOKEN}, and answers 404 when no token is configured.</li>
 * </ul>
 * Answers everything else with a problem body.
 */
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** How long one upstream probe may take before it counts as down. */
    public static final long PROBE_TIMEOUT_MILLIS = 250;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String BEARER = "bearer ";

    private final GatewayServer server;

    public AdminHandler(GatewayServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws JsonProcessingException {
        Reply reply = new Reply(ctx, HttpUtil.isKeepAlive(request), HttpMethod.HEAD.equals(request.method()));
        if (request.decoderResult().isFailure()) {
            reply.closeAfter().send(problem(400, "Bad Request", "The request is not valid HTTP/1.1."));
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        boolean read = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        switch (path) {
            case "/health/live":
            case "/health":
            case "/health/ready":
            case "/metrics":
                if (!read) {
                    reply.send(notAllowed("GET, HEAD"));
                } else if (path.equals("/health/live")) {
                    reply.send(json(HttpResponseStatus.OK, live()));
                } else if (path.equals("/metrics")) {
                    metrics(reply);
                } else {
                    ready(reply);
                }
                break;
            case "/admin/reload":
                if (!HttpMethod.POST.equals(request.method())) {
                    reply.send(notAllowed("POST"));
                } else {
                    reload(reply, request.headers().get(HttpHeaderNames.AUTHORIZATION));
                }
                break;
            default:
                reply.send(problem(404, "Not Found", "Unknown admin endpoint."));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private Map<String, Object> live() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "UP");
        body.put("version", Version.VERSION);
        body.put("commit", Version.COMMIT);
        return body;
    }

    private void ready(Reply reply) {
        GatewayConfig config = server.config();
        StoreHealth storeHealth = server.storeHealth();
        boolean shuttingDown = server.isShuttingDown();
        Map<String, CompletableFuture<Boolean>> probes = new LinkedHashMap<>();
        for (RouteConfig route : config.routes()) {
            String target = route.upstreamHost() + ":" + route.upstreamPort();
            probes.computeIfAbsent(target, t -> server
                    .probeUpstream(route.upstreamHost(), route.upstreamPort(), Duration.ofMillis(PROBE_TIMEOUT_MILLIS))
                    .completeOnTimeout(false, PROBE_TIMEOUT_MILLIS + 50, TimeUnit.MILLISECONDS));
        }
        CompletableFuture.allOf(probes.values().toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
            Map<String, Object> upstreams = upstreams(probes);
            Map<String, Object> store = store(config, storeHealth);
            boolean serving = Boolean.TRUE.equals(store.get("serving"));
            boolean ready = !shuttingDown && serving;
            Map<String, Object> body = new LinkedHashMap<>(live());
            body.put("status", overallStatus(shuttingDown, ready, storeHealth));
            Map<String, Object> components = new LinkedHashMap<>();
            components.put("config", Map.of("status", "UP", "routes", config.routes().size(),
                    "plans", config.plans().size()));
            components.put("store", store);
            components.put("upstreams", upstreams);
            components.put("draining", shuttingDown);
            body.put("components", components);
            body.put("connections", server.openConnections());
            reply.sendJson(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
        });
    }

    /** DEGRADED: serving (HTTP 200), but the store is down and requests follow {@code on-failure}. */
    private static String overallStatus(boolean shuttingDown, boolean ready, StoreHealth storeHealth) {
        if (shuttingDown) {
            return "DRAINING";
        }
        if (!ready) {
            return "DOWN";
        }
        return storeHealth == StoreHealth.UP ? "UP" : "DEGRADED";
    }

    private static Map<String, Object> store(GatewayConfig config, StoreHealth health) {
        String onFailure = config.store().onFailure().name().toLowerCase(Locale.ROOT);
        Map<String, Object> store = new LinkedHashMap<>();
        store.put("type", config.store().type().name().toLowerCase(Locale.ROOT));
        store.put("status", health.name());
        store.put("on_failure", onFailure);
        // Down with deny would answer every limited request with 503; out of rotation is better than that.
        store.put("serving", health == StoreHealth.UP || !"deny".equals(onFailure));
        return store;
    }

    private static Map<String, Object> upstreams(Map<String, CompletableFuture<Boolean>> probes) {
        Map<String, Object> targets = new LinkedHashMap<>();
        int up = 0;
        for (Map.Entry<String, CompletableFuture<Boolean>> probe : probes.entrySet()) {
            boolean reachable = Boolean.TRUE.equals(probe.getValue().getNow(false));
            up += reachable ? 1 : 0;
            targets.put(probe.getKey(), reachable ? "UP" : "DOWN");
        }
        Map<String, Object> upstreams = new LinkedHashMap<>();
        upstreams.put("status", up == probes.size() ? "UP" : up == 0 ? "DOWN" : "DEGRADED");
        upstreams.put("targets", targets);
        return upstreams;
    }

    private void metrics(Reply reply) {
        try {
            server.adminTasks().execute(() -> {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(server.metrics().scrape().getBytes(StandardCharsets.UTF_8)));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT);
                reply.send(response);
            });
        } catch (RejectedExecutionException e) {
            reply.send(problem(503, "Service Unavailable", "The gateway is stopping."));
        }
    }

    private void reload(Reply reply, String authorization) {
        String token = server.adminToken();
        if (token == null || token.isEmpty()) {
            reply.send(problem(404, "Not Found", "Reloading over HTTP is disabled; set VENTRA_ADMIN_TOKEN to "
                    + "enable it, or send SIGHUP."));
            return;
        }
        if (!authorized(authorization, token)) {
            FullHttpResponse response = problem(401, "Unauthorized", "A valid admin bearer token is required.");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"ventra-admin\"");
            reply.send(response);
            return;
        }
        ConfigReloader reloader = server.reloader();
        if (reloader == null) {
            reply.send(problem(404, "Not Found", "This gateway was started without a config file to reload."));
            return;
        }
        reloader.reload("admin API").whenComplete((result, e) -> reloaded(reply, result));
    }

    private static void reloaded(Reply reply, ReloadResult result) {
        if (!result.applied()) {
            reply.send(problem(422, "Unprocessable Content", "The configuration was rejected; the previous one is "
                    + "still served.", result));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "reloaded");
        body.put("changes", result.changes());
        body.put("warnings", result.warnings());
        reply.sendJson(HttpResponseStatus.OK, body);
    }

    private static boolean authorized(String authorization, String token) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse json(HttpResponseStatus status, Map<String, Object> body)
            throws JsonProcessingException {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(JSON.writeValueAsBytes(body)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        return response;
    }

    private static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse response = problem(405, "Method Not Allowed", "This admin endpoint answers " + allow + ".");
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        return response;
    }

    private static FullHttpResponse problem(int status, String title, String detail) {
        return problem(status, title, detail, null);
    }

    private static FullHttpResponse problem(int status, String title, String detail, ReloadResult result) {
        Problem problem = Problem.of(status, title, detail);
        if (result != null) {
            problem = problem.with("errors", result.errors());
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(problem.toJson()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return response;
    }

    /** Where one response goes; safe to use from any thread, since Netty moves the write to the event loop. */
    private final class Reply {
        private final ChannelHandlerContext ctx;
        private final boolean head;
        private boolean keepAlive;

        Reply(ChannelHandlerContext ctx, boolean keepAlive, boolean head) {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.head = head;
        }

        Reply closeAfter() {
            keepAlive = false;
            return this;
        }

        void sendJson(HttpResponseStatus status, Map<String, Object> body) {
            try {
                send(json(status, body));
            } catch (JsonProcessingException e) {
                send(problem(500, "Internal Server Error", "Failed to write the response."));
            }
        }

        void send(FullHttpResponse response) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            for (Map.Entry<String, String> header : server.config().securityHeaders().entrySet()) {
                response.headers().set(header.getKey(), header.getValue());
            }
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            if (head) {
                response.content().clear();
            }
            var write = ctx.writeAndFlush(response);
            if (!keepAlive) {
                write.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
