package io.ventra.gateway.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.store.MemoryBucketStore;
import io.ventra.gateway.proxy.server.EmbeddedProxyPipeline;
import io.ventra.gateway.proxy.server.GatewayServer;
import io.ventra.gateway.proxy.upstream.EmbeddedUpstreams;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole request through the proxy's Netty pipeline, bytes in to bytes out, with no socket on the path: the
 * client connection is an {@link EmbeddedChannel} carrying the proxy's codec and {@code ProxyHandler}, and the
 * upstream connection is another one, carrying the upstream pool's handlers, lent to the pool as an idle
 * keep-alive connection and answered with canned bytes.
 *
 * <ul>
 *   <li>{@code proxied}: a GET on route 27 with a valid key, forwarded upstream, 200 relayed back with the
 *       rate-limit and security headers (the full hot path);</li>
 *   <li>{@code refusedLimited}: 429 with a problem body, written by the gateway itself;</li>
 *   <li>{@code refusedUnknownKey}: 401.</li>
 * </ul>
 *
 * <p>When the proxy closes the client connection (a per-connection request limit, for instance), the next
 * operation opens a new one, as a real client would; that cost is part of the figure.
 *
 * <p>{@code GatewayServer} has no socket-free constructor, so set-up starts one on two loopback ports (0) with
 * one I/O thread; no byte of the measured requests passes through them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 54321);
    private static final String UPSTREAM_RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Server: nginx\r\n"
            + "Date: Mon, 01 Jun 2026 12:00:00 GMT\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 20\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n"
            + "hello from upstream\n";

    private GatewayServer server;
    private EmbeddedChannel client;
    private EmbeddedChannel upstream;
    private ByteBuf passRequest;
    private ByteBuf limitedRequest;
    private ByteBuf unknownKeyRequest;
    private ByteBuf upstreamResponse;

    @Setup
    public void setUp() throws Exception {
        server = GatewayServer.start(BenchmarkConfigs.config(1), new MemoryBucketStore(NanoClock.SYSTEM, 1_000));
        client = new ClientChannel(EmbeddedProxyPipeline.clientHandlers(server));
        lendUpstream();

        passRequest = request(BenchmarkConfigs.MID_ROUTE_TARGET, BenchmarkConfigs.key(0));
        limitedRequest = request(BenchmarkConfigs.MID_ROUTE_TARGET, BenchmarkConfigs.LIMITED_KEY);
        unknownKeyRequest = request(BenchmarkConfigs.MID_ROUTE_TARGET, "not-a-key");
        upstreamResponse = bytes(UPSTREAM_RESPONSE);

        expect(proxiedResponse(passRequest), "HTTP/1.1 200 OK", "RateLimit-Policy: \"orders-read\"",
                "hello from upstream");
        expect(proxiedResponse(limitedRequest), "HTTP/1.1 200 OK", "RateLimit: \"tiny\";r=0");
        expect(respond(limitedRequest), "HTTP/1.1 429", "Retry-After");
        expect(respond(unknownKeyRequest), "HTTP/1.1 401");
    }

    @TearDown
    public void tearDown() {
        client.finishAndReleaseAll();
        upstream.finishAndReleaseAll();
        server.stop(Duration.ZERO);
        passRequest.release();
        limitedRequest.release();
        unknownKeyRequest.release();
        upstreamResponse.release();
    }

    @Benchmark
    public int proxied() {
        reconnectIfClosed();
        client.writeInbound(passRequest.retainedDuplicate());
        drain(upstream);
        upstream.writeInbound(upstreamResponse.retainedDuplicate());
        return drain(client);
    }

    @Benchmark
    public int refusedLimited() {
        reconnectIfClosed();
        client.writeInbound(limitedRequest.retainedDuplicate());
        return drain(client);
    }

    @Benchmark
    public int refusedUnknownKey() {
        reconnectIfClosed();
        client.writeInbound(unknownKeyRequest.retainedDuplicate());
        return drain(client);
    }

    private void reconnectIfClosed() {
        if (!client.isOpen()) {
            client.finishAndReleaseAll();
            client = new ClientChannel(EmbeddedProxyPipeline.clientHandlers(server));
            // The new client has its own event loop, and the pool keeps connections per event loop: without a
            // new upstream on that loop the pool would open a real socket (and fail, the loop being embedded).
            upstream.finishAndReleaseAll();
            lendUpstream();
        }
    }

    /** An in-memory upstream connection on the client's event loop, lent to the pool as idle keep-alive. */
    private void lendUpstream() {
        upstream = new EmbeddedChannel(false, false, EmbeddedUpstreams.handlers(server.config().proxy()));
        // Same event loop as the client, so the pool (one per event loop) finds this connection.
        client.eventLoop().register(upstream).syncUninterruptibly();
        EmbeddedUpstreams.lend(EmbeddedProxyPipeline.pool(server), upstream, BenchmarkConfigs.UPSTREAM_HOST,
                BenchmarkConfigs.UPSTREAM_PORT);
    }

    private String proxiedResponse(ByteBuf request) {
        reconnectIfClosed();
        client.writeInbound(request.retainedDuplicate());
        drain(upstream);
        upstream.writeInbound(upstreamResponse.retainedDuplicate());
        return read(client);
    }

    private String respond(ByteBuf request) {
        reconnectIfClosed();
        client.writeInbound(request.retainedDuplicate());
        return read(client);
    }

    private static void expect(String response, String... parts) {
        for (String part : parts) {
            if (!response.contains(part)) {
                throw new IllegalStateException("Expected '" + part + "' in the response, got:\n" + response);
            }
        }
    }

    /** Releases what the channel wrote and returns the byte count, so the work cannot be optimized away. */
    private static int drain(EmbeddedChannel channel) {
        int bytes = 0;
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            if (msg instanceof ByteBuf) {
                bytes += ((ByteBuf) msg).readableBytes();
            }
            ReferenceCountUtil.release(msg);
        }
        return bytes;
    }

    private static String read(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            if (msg instanceof ByteBuf) {
                out.append(((ByteBuf) msg).toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(msg);
        }
        return out.toString();
    }

    private static ByteBuf request(String target, String key) {
        return bytes("GET " + target + " HTTP/1.1\r\n"
                + "Host: api.example.com\r\n"
                + "User-Agent: wrk\r\n"
                + "Accept: */*\r\n"
                + BenchmarkConfigs.HEADER + ": " + key + "\r\n"
                + "\r\n");
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    /** An embedded client connection that reports a real client address, as a socket would. */
    private static final class ClientChannel extends EmbeddedChannel {
        ClientChannel(ChannelHandler... handlers) {
            super(handlers);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return isActive() ? CLIENT : null;
        }
    }
}
