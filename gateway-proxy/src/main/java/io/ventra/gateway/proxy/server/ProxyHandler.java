package io.ventra.gateway.proxy.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.Gatekeeper;
import io.ventra.gateway.core.config.ProxyConfig;
import io.ventra.gateway.core.config.RouteConfig;
import io.ventra.gateway.core.headers.Problem;
import io.ventra.gateway.core.headers.RateLimitHeaders;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.proxy.upstream.UpstreamConnection;
import io.ventra.gateway.proxy.upstream.PoolExhaustedException;
import io.ventra.gateway.proxy.upstream.UpstreamListener;
import io.ventra.gateway.proxy.websocket.WebSocketTunnel;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's client-side handler, last in the pipeline after {@code HttpServerCodec}. For each request it asks
 * the {@link Gatekeeper}, then either answers by itself (400, 401, 404, 429, 502, 503, 504, each a problem body
 * with the security headers) or streams the request to an upstream and the response back.
 *
 * <p>One request at a time per connection; pipelined requests wait in {@code pending}. Auto-read is off: the
 * client is read only while the upstream can take more of the body, and the upstream only while the client can
 * take more of the response, so memory per connection stays bounded. All state is confined to the channel's
 * event loop (the upstream connection is opened on the same loop), so nothing here needs to be volatile.
 */
final class ProxyHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);
    private static final Pattern VALID_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final List<String> METHOD_OVERRIDES =
            List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final String X_FORWARDED_HOST = "X-Forwarded-Host";

    /**
     * Headers of forwarded messages are copies of headers the decoders already validated, plus values the
     * gateway validated itself (config, request id, traceparent), so they skip Netty's per-character
     * re-validation, which profiling showed at 5-8 % of event-loop CPU.
     */
    private static final HttpHeadersFactory COPIED_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private final GatewayServer server;
    private final ProxyConfig proxy;
    private final ArrayDeque<HttpObject> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Exchange exchange;
    private WebSocketTunnel tunnel;
    private boolean swallowEmptyLast;
    private boolean closing;
    private ScheduledFuture<?> waitTimer;
    private boolean waitingIdle;
    private int requestsStarted;

    ProxyHandler(GatewayServer server) {
        this.server = server;
        this.proxy = server.config().proxy();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        server.observer().onConnectionOpened();
        awaitHead(proxy.headerReadTimeout(), false);
        context.read();
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (tunnel != null) {
            tunnel.fromClient(msg);
            return;
        }
        if (!(msg instanceof HttpObject) || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (swallowEmptyLast && msg instanceof LastHttpContent) {
            // The decoder ends every bodiless request with an empty LastHttpContent; the exchange already
            // counts that request as complete.
            swallowEmptyLast = false;
            ReferenceCountUtil.release(msg);
            return;
        }
        if (exchange != null && !exchange.requestComplete && msg instanceof HttpContent) {
            exchange.onRequestContent((HttpContent) msg);
        } else if (exchange != null) {
            pending.add((HttpObject) msg);
        } else {
            begin((HttpObject) msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object evt) {
        if (evt == StrictRequestDecoder.HEAD_STARTED) {
            if (exchange == null && waitingIdle) {
                // The keep-alive wait ends with the first byte; the rest of the head must come in time.
                awaitHead(proxy.headerReadTimeout(), false);
            }
            return;
        }
        context.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (exchange != null && context.channel().isWritable()) {
            exchange.readMoreResponse();
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        server.observer().onConnectionClosed();
        closing = true;
        cancelWaitTimer();
        if (tunnel != null) {
            tunnel.close();
        }
        if (exchange != null) {
            exchange.abort();
            exchange = null;
        }
        releasePending();
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        log.debug("Closing client connection after error", cause);
        context.close();
    }

    /** Tells whether no request is in progress on this connection. */
    boolean isIdle() {
        return exchange == null && tunnel == null;
    }

    /** Starts draining: an idle connection closes now, a busy one after its response. */
    void drain() {
        if (tunnel != null) {
            tunnel.drain();
            return;
        }
        if (exchange == null) {
            closeNow();
        }
    }

    private void begin(HttpObject msg) {
        if (!(msg instanceof HttpRequest)) {
            // The rest of a body the gateway chose not to read; the connection is closing anyway.
            ReferenceCountUtil.release(msg);
            closeNow();
            return;
        }
        HttpRequest request = (HttpRequest) msg;
        cancelWaitTimer();
        requestsStarted++;
        Exchange current = new Exchange(request);
        exchange = current;
        swallowEmptyLast = current.requestComplete && request.decoderResult().isSuccess();
        if (swallowEmptyLast && pending.peek() instanceof LastHttpContent) {
            swallowEmptyLast = false;
            ReferenceCountUtil.release(pending.poll());
        }
        Problem framing = Framing.check(request);
        if (framing != null) {
            current.refuse(framing, null, false);
            return;
        }
        if (declaredLength(request) > proxy.maxBodyBytes()) {
            current.refuse(tooLarge(), null, false);
            return;
        }
        if (server.isDraining()) {
            current.refuse(Problem.of(503, "Service Unavailable", "The gateway is shutting down."), null, false);
            return;
        }
        Gatekeeper gatekeeper = server.gatekeeper();
        List<String> apiKeys = request.headers().getAll(gatekeeper.config().identity().apiKeyHeader());
        if (apiKeys.size() > 1) {
            // An upstream reading the other value would act for an account the gateway did not charge.
            current.refuse(Problem.of(400, "Bad Request", "The request has more than one API key header."),
                    null, true);
            return;
        }
        String apiKey = apiKeys.isEmpty() ? null : apiKeys.get(0);
        current.admitStartNanos = System.nanoTime();
        CompletableFuture<Admission> admission = gatekeeper.admit(
                apiKey, current.clientAddress, quotaMethod(request), request.uri());
        if (admission.isDone()) {
            current.onAdmission(admission.getNow(null), null);
        } else {
            admission.whenComplete((a, e) -> ctx.executor().execute(() -> current.onAdmission(a, e)));
        }
    }

    private void finished(Exchange done, boolean keepAlive) {
        if (exchange != done) {
            return;
        }
        exchange = null;
        if (!keepAlive || server.isDraining()) {
            closeNow();
            return;
        }
        HttpObject next = pending.poll();
        if (next == null) {
            readNext();
            return;
        }
        begin(next);
        while (exchange != null && !exchange.requestComplete && pending.peek() instanceof HttpContent) {
            exchange.onRequestContent((HttpContent) pending.poll());
        }
    }

    private void readNext() {
        if (!closing) {
            awaitHead(proxy.idleTimeout(), true);
            ctx.read();
        }
    }

    /** Closes the connection unless a request head arrives in time (idle keep-alive, or a slow head). */
    private void awaitHead(java.time.Duration timeout, boolean idle) {
        cancelWaitTimer();
        waitingIdle = idle;
        waitTimer = ctx.executor().schedule(() -> {
            waitTimer = null;
            if (exchange == null && tunnel == null && !closing) {
                log.debug("Closing a connection that sent no complete request head in {}", timeout);
                closeNow();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelWaitTimer() {
        if (waitTimer != null) {
            waitTimer.cancel(false);
            waitTimer = null;
        }
        waitingIdle = false;
    }

    /** Returns the Content-Length, 0 when absent, -1 when unreadable (such a head fails {@link Framing}). */
    private static long declaredLength(HttpRequest request) {
        String value = request.headers().get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return 0;
        }
        return value.matches("[0-9]{1,18}") ? Long.parseLong(value) : -1;
    }

    private static Problem tooLarge() {
        return Problem.of(413, "Content Too Large", "The request body is larger than the configured maximum.");
    }

    /** Tells whether the request asks for a WebSocket upgrade (RFC 6455 §4.1), with its key and version. */
    private static boolean isWebSocketUpgrade(HttpRequest request) {
        return HttpMethod.GET.equals(request.method()) && request.protocolVersion() == HttpVersion.HTTP_1_1
                && hasToken(request.headers().getAll(HttpHeaderNames.UPGRADE), "websocket")
                && hasToken(request.headers().getAll(HttpHeaderNames.CONNECTION), "upgrade")
                && request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)
                && "13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION));
    }

    /**
     * Returns the method endpoint quotas are matched against: the request's, or the one a method-override
     * header asks for, since frameworks that honour those headers would otherwise let a GET pass a POST-only
     * quota.
     */
    private static String quotaMethod(HttpRequest request) {
        for (String header : METHOD_OVERRIDES) {
            String override = request.headers().get(header);
            if (override != null && !override.isBlank()) {
                return override.trim().toUpperCase(java.util.Locale.ROOT);
            }
        }
        return request.method().name();
    }

    /**
     * Drops request trailers: upstreams may merge them into the headers, and they would carry Host, API keys
     * or X-Forwarded-* past every check the head went through.
     */
    private static HttpContent withoutTrailers(HttpContent content) {
        if (!(content instanceof LastHttpContent) || ((LastHttpContent) content).trailingHeaders().isEmpty()) {
            return content;
        }
        LastHttpContent last = new DefaultLastHttpContent(content.content().retain());
        content.release();
        return last;
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String value : values) {
            for (String item : value.split(",")) {
                if (item.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void closeNow() {
        closing = true;
        releasePending();
        ctx.close();
    }

    private void releasePending() {
        HttpObject msg;
        while ((msg = pending.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }

    private static String requestId(HttpHeaders headers) {
        String id = headers.get(GatewayResponses.REQUEST_ID);
        if (id != null && VALID_REQUEST_ID.matcher(id).matches()) {
            return id;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong()
                | Long.MIN_VALUE);
    }

    /** One request and its response. */
    private final class Exchange implements UpstreamListener {
        private final HttpRequest request;
        private final String requestId;
        private final String traceparent;
        private final boolean traceGenerated;
        private final String peerAddress;
        private final String clientAddress;
        private final boolean clientKeepAlive;
        private final boolean webSocket;
        private final boolean expectsBody;
        private final boolean head;
        private final ArrayDeque<HttpContent> body = new ArrayDeque<>();
        private Admission admission;
        private UpstreamConnection upstream;
        private ScheduledFuture<?> responseTimeout;
        private boolean requestComplete;
        private boolean requestForwarded;
        private boolean answered;
        private boolean responseStarted;
        private boolean keepAlive;
        private final long startNanos = System.nanoTime();
        private long admitStartNanos;
        private long storeNanos = -1;
        private long upstreamStartNanos;
        private long upstreamNanos = -1;
        private long responseBytes;
        private int status;
        private boolean recorded;
        private boolean upstreamKeepAlive;
        private boolean retried;
        private boolean aborted;
        private boolean bodyAbandoned;
        private long requestBodyBytes;
        private Future<UpstreamConnection> acquiring;

        Exchange(HttpRequest request) {
            this.request = request;
            this.requestId = requestId(request.headers());
            String incomingTrace = TraceParent.valid(request.headers().get(TraceParent.HEADER));
            this.traceGenerated = incomingTrace == null;
            this.traceparent = traceGenerated ? TraceParent.generate() : incomingTrace;
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            this.peerAddress = remote == null ? null : remote.getAddress().getHostAddress();
            this.clientAddress = ForwardedFor.clientAddress(peerAddress,
                    request.headers().getAll(X_FORWARDED_FOR), proxy);
            this.clientKeepAlive = HttpUtil.isKeepAlive(request) && requestsStarted < proxy.maxRequestsPerConnection();
            this.webSocket = isWebSocketUpgrade(request);
            this.expectsBody = request.decoderResult().isSuccess() && (HttpUtil.isTransferEncodingChunked(request)
                    || declaredLength(request) > 0);
            this.head = HttpMethod.HEAD.equals(request.method());
            this.keepAlive = clientKeepAlive;
            this.requestComplete = !expectsBody;
            server.observer().onExchangeStarted();
        }

        void onAdmission(Admission result, Throwable failure) {
            storeNanos = System.nanoTime() - admitStartNanos;
            if (aborted) {
                return;
            }
            if (failure != null || result == null) {
                log.warn("Failed to decide a request; answering 503", failure);
                refuse(Problem.of(503, "Service Unavailable", "The rate-limit store is unavailable."), null, true);
                return;
            }
            admission = result;
            if (!result.isPass()) {
                refuse(result.problem(), result.decision(), true);
                return;
            }
            if (HttpUtil.is100ContinueExpected(request) && request.protocolVersion() == HttpVersion.HTTP_1_1) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER));
            }
            connect();
        }

        /** Answers by the gateway itself. The connection stays open only if the whole request was read. */
        void refuse(Problem problem, Decision decision, boolean framingIsSound) {
            answered = true;
            responseStarted = true;
            keepAlive = clientKeepAlive && framingIsSound && requestComplete;
            FullHttpResponse response = GatewayResponses.problem(problem, server.securityHeaders(), decision,
                    requestId, keepAlive && !server.isDraining(), head);
            response.headers().set(TraceParent.HEADER, traceparent);
            status = problem.status();
            responseBytes = response.content().readableBytes();
            releaseBody();
            ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
                record(f.isSuccess());
                if (!keepAlive) {
                    closeNow();
                } else if (requestComplete) {
                    finished(this, true);
                }
            });
            if (!framingIsSound) {
                closing = true;
            }
        }

        void onRequestContent(HttpContent content) {
            if (content instanceof LastHttpContent) {
                requestComplete = true;
            }
            if (content.decoderResult().isFailure()) {
                content.release();
                if (!responseStarted) {
                    discardUpstream();
                    refuse(Problem.of(400, "Bad Request", "The request body is not valid HTTP/1.1 framing."),
                            null, false);
                } else {
                    closeNow();
                }
                return;
            }
            if (bodyAbandoned) {
                // The upstream answered before the body ended; the rest is not sent (the connection closes).
                content.release();
                return;
            }
            requestBodyBytes += content.content().readableBytes();
            if (requestBodyBytes > proxy.maxBodyBytes()) {
                content.release();
                bodyTooLarge();
                return;
            }
            if (answered) {
                content.release();
                if (requestComplete && keepAlive) {
                    finished(this, true);
                }
                return;
            }
            if (upstream == null) {
                body.add(content);
                return;
            }
            writeBody(content);
        }

        private void bodyTooLarge() {
            if (responseStarted) {
                closeNow();
                return;
            }
            // The upstream may hold part of the body: its connection must never be reused.
            discardUpstream();
            refuse(tooLarge(), admission == null ? null : admission.decision(), false);
        }

        private void connect() {
            RouteConfig route = admission.route();
            acquiring = server.pool().acquire(ctx.channel().eventLoop(), route.upstreamHost(), route.upstreamPort(),
                    this);
            acquiring.addListener((Future<UpstreamConnection> f) -> {
                        acquiring = null;
                        if (f.isCancelled()) {
                            return;
                        }
                        if (f.cause() instanceof PoolExhaustedException) {
                            poolExhausted();
                            return;
                        }
                        if (!f.isSuccess()) {
                            upstreamError(f.cause());
                            return;
                        }
                        UpstreamConnection connection = f.getNow();
                        if (aborted || answered) {
                            connection.discard();
                            return;
                        }
                        upstream = connection;
                        sendRequest();
                    });
        }

        private void sendRequest() {
            Channel channel = upstream.channel();
            upstreamStartNanos = System.nanoTime();
            channel.write(upstreamRequest());
            requestForwarded = true;
            if (!expectsBody) {
                channel.write(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            HttpContent content;
            while ((content = body.poll()) != null) {
                channel.write(withoutTrailers(content));
            }
            channel.flush();
            long timeoutMillis = server.config().proxy().responseTimeout().toMillis();
            responseTimeout = channel.eventLoop().schedule(this::onResponseTimeout, timeoutMillis,
                    TimeUnit.MILLISECONDS);
            channel.read();
            if (!requestComplete && channel.isWritable()) {
                ctx.read();
            }
        }

        private void writeBody(HttpContent content) {
            Channel channel = upstream.channel();
            channel.writeAndFlush(withoutTrailers(content));
            if (!requestComplete && channel.isWritable()) {
                ctx.read();
            }
        }

        private HttpRequest upstreamRequest() {
            HttpRequest out = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.uri(),
                    COPIED_HEADERS);
            HttpHeaders headers = out.headers();
            headers.set(request.headers());
            boolean chunked = HttpUtil.isTransferEncodingChunked(request);
            HopByHop.strip(headers);
            headers.remove(HttpHeaderNames.EXPECT);
            if (chunked) {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
            if (webSocket) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
                headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            }
            headers.set(X_FORWARDED_FOR, ForwardedFor.append(request.headers().getAll(X_FORWARDED_FOR), peerAddress));
            headers.set(X_FORWARDED_PROTO, "http");
            String host = request.headers().get(HttpHeaderNames.HOST);
            if (host != null) {
                headers.set(X_FORWARDED_HOST, host);
            }
            headers.set(GatewayResponses.REQUEST_ID, requestId);
            headers.set(TraceParent.HEADER, traceparent);
            if (traceGenerated) {
                // A tracestate without its traceparent belongs to no trace (W3C Trace Context §3.3).
                headers.remove(TraceParent.STATE_HEADER);
            }
            return out;
        }

        @Override
        public boolean acceptsSwitchingProtocols() {
            return webSocket;
        }

        @Override
        public void onResponse(HttpResponse response) {
            cancelTimeout();
            String invalid = Framing.checkResponse(response);
            if (invalid != null) {
                ReferenceCountUtil.release(response);
                log.debug("Refusing an upstream response: {}", invalid);
                server.observer().onUpstreamError("protocol");
                discardUpstream();
                refuse(Problem.of(502, "Bad Gateway", "The upstream sent an invalid response."),
                        admission.decision(), true);
                return;
            }
            if (response.status().code() == 101) {
                switchProtocols(response);
                return;
            }
            if (!requestComplete) {
                // An early answer (e.g. 413 before the whole upload): stop sending the body and close afterwards.
                bodyAbandoned = true;
                keepAlive = false;
            }
            responseStarted = true;
            status = response.status().code();
            HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), COPIED_HEADERS);
            HttpHeaders headers = out.headers();
            headers.set(response.headers());
            upstreamKeepAlive = HttpUtil.isKeepAlive(response);
            HopByHop.strip(headers);
            frame(response, headers);
            Decision decision = admission.decision();
            if (decision != null) {
                RateLimitHeaders.render(decision, headers::set);
            }
            headers.set(GatewayResponses.REQUEST_ID, requestId);
            headers.set(TraceParent.HEADER, traceparent);
            GatewayResponses.addSecurityHeaders(headers, server.securityHeaders());
            if (!keepAlive || server.isDraining()) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                keepAlive = false;
            } else if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.write(out);
            readMoreResponse();
        }

        private void frame(HttpResponse response, HttpHeaders headers) {
            int code = response.status().code();
            boolean bodiless = head || code == 204 || code == 304 || code < 200;
            if (bodiless) {
                if (code == 204) {
                    headers.remove(HttpHeaderNames.CONTENT_LENGTH);
                }
                return;
            }
            if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)
                    && !HttpUtil.isTransferEncodingChunked(response)) {
                return;
            }
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            if (request.protocolVersion() == HttpVersion.HTTP_1_1) {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                keepAlive = false;
            }
        }

        @Override
        public void onContent(HttpContent content) {
            if (content.decoderResult().isFailure()) {
                content.release();
                server.observer().onUpstreamError("protocol");
                discardUpstream();
                closeNow();
                return;
            }
            boolean last = content instanceof LastHttpContent;
            responseBytes += content.content().readableBytes();
            if (!last) {
                ctx.writeAndFlush(content);
                readMoreResponse();
                return;
            }
            upstreamNanos = System.nanoTime() - upstreamStartNanos;
            ctx.writeAndFlush(content).addListener((ChannelFutureListener) f -> {
                record(f.isSuccess());
                if (!keepAlive || !requestComplete) {
                    closeNow();
                } else {
                    finished(this, true);
                }
            });
            answered = true;
            releaseUpstream();
        }

        void readMoreResponse() {
            if (upstream != null && responseStarted && !answered && ctx.channel().isWritable()) {
                upstream.channel().read();
            }
        }

        @Override
        public void onWritabilityChanged(boolean writable) {
            if (writable && !requestComplete && !answered) {
                ctx.read();
            }
        }

        @Override
        public void onFailure(Throwable cause) {
            cancelTimeout();
            UpstreamConnection failed = upstream;
            upstream = null;
            if (failed != null) {
                failed.discard();
            }
            if (answered || aborted) {
                return;
            }
            if (responseStarted) {
                server.observer().onUpstreamError("reset");
                log.debug("Upstream failed mid-response; closing the client connection", cause);
                closeNow();
                return;
            }
            if (failed != null && failed.isReused() && !retried && !expectsBody && isIdempotent()) {
                // A pooled connection the upstream closed while idle: nothing was processed, so one retry
                // on a fresh connection is safe (RFC 9110 §9.2.2).
                retried = true;
                connect();
                return;
            }
            upstreamError(cause);
        }

        private boolean isIdempotent() {
            HttpMethod method = request.method();
            return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)
                    || method.equals(HttpMethod.OPTIONS) || method.equals(HttpMethod.PUT)
                    || method.equals(HttpMethod.DELETE) || method.equals(HttpMethod.TRACE);
        }

        private void upstreamError(Throwable cause) {
            if (answered || aborted) {
                return;
            }
            log.debug("Failed to reach upstream", cause);
            server.observer().onUpstreamError(upstreamStartNanos == 0 ? "connect" : "reset");
            refuse(Problem.of(502, "Bad Gateway", "The upstream could not be reached or closed the connection."),
                    admission == null ? null : admission.decision(), true);
        }

        private void onResponseTimeout() {
            if (responseStarted || answered || aborted) {
                return;
            }
            discardUpstream();
            server.observer().onUpstreamError("timeout");
            refuse(Problem.of(504, "Gateway Timeout", "The upstream did not answer in time."),
                    admission.decision(), true);
        }

        private void releaseUpstream() {
            UpstreamConnection connection = upstream;
            upstream = null;
            if (connection == null) {
                return;
            }
            if (requestComplete && requestForwarded && body.isEmpty() && upstreamKeepAlive && !bodyAbandoned) {
                RouteConfig route = admission.route();
                server.pool().release(connection, route.upstreamHost(), route.upstreamPort());
            } else {
                connection.discard();
            }
        }

        private void discardUpstream() {
            cancelTimeout();
            UpstreamConnection connection = upstream;
            upstream = null;
            if (connection != null) {
                connection.discard();
            }
        }

        /** Answers the client's upgrade with the upstream's 101, then turns both connections into a tunnel. */
        private void switchProtocols(HttpResponse response) {
            responseStarted = true;
            answered = true;
            status = 101;
            upstreamNanos = System.nanoTime() - upstreamStartNanos;
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.SWITCHING_PROTOCOLS, Unpooled.EMPTY_BUFFER);
            HttpHeaders headers = out.headers();
            headers.set(response.headers());
            HopByHop.strip(headers);
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            headers.set(GatewayResponses.REQUEST_ID, requestId);
            UpstreamConnection connection = upstream;
            upstream = null;
            WebSocketTunnel opened = WebSocketTunnel.open(ctx.channel(), connection.channel());
            tunnel = opened;
            exchange = null;
            cancelWaitTimer();
            record(true);
            ctx.writeAndFlush(out).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    opened.close();
                    return;
                }
                connection.removeHttpHandlers();
                ctx.pipeline().remove("codec");
                opened.start();
            });
        }

        private void poolExhausted() {
            if (answered || aborted) {
                return;
            }
            server.observer().onUpstreamError("connect");
            refuse(Problem.of(503, "Service Unavailable", "The upstream has no free connection."),
                    admission.decision(), true);
        }

        void abort() {
            aborted = true;
            if (acquiring != null) {
                acquiring.cancel(false);
            }
            record(false);
            discardUpstream();
            releaseBody();
        }

        /** Reports the exchange to the observer, once. */
        private void record(boolean completed) {
            if (recorded) {
                return;
            }
            recorded = true;
            server.observer().onExchangeCompleted(new ExchangeRecord(requestId, request.method().name(),
                    request.uri(), status, admission, responseBytes, upstreamNanos, storeNanos,
                    System.nanoTime() - startNanos, completed, traceparent));
        }

        private void cancelTimeout() {
            if (responseTimeout != null) {
                responseTimeout.cancel(false);
                responseTimeout = null;
            }
        }

        private void releaseBody() {
            HttpContent content;
            while ((content = body.poll()) != null) {
                content.release();
            }
        }
    }
}
