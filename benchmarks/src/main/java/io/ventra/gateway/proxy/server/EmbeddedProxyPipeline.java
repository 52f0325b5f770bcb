package io.ventra.gateway.proxy.server;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.ventra.gateway.core.config.ProxyConfig;
import io.ventra.gateway.proxy.upstream.UpstreamPool;

/**
 * Hands the pipeline benchmark the proxy's client-side handlers, which are package-private, so that it can run
 * them in an {@code EmbeddedChannel}. Lives in the benchmarks module only; the gateway never loads it.
 */
public final class EmbeddedProxyPipeline {
    private EmbeddedProxyPipeline() {
    }

    /**
     * Returns the handlers {@link GatewayServer} puts on each client connection, in order.
     */
    // TODO: this repeats the codec settings of GatewayServer.bind; if they change there, the benchmark drifts
    //  until a shared package-private factory (proposed in BENCHMARKS.md) replaces both.
    public static ChannelHandler[] clientHandlers(GatewayServer server) {
        ProxyConfig proxy = server.config().proxy();
        HttpServerCodec codec = new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(proxy.maxInitialLineBytes())
                .setMaxHeaderSize(proxy.maxHeaderBytes())
                .setStrictLineParsing(true));
        return new ChannelHandler[] {codec, new ProxyHandler(server)};
    }

    /** Returns the server's upstream pool. */
    public static UpstreamPool pool(GatewayServer server) {
        return server.pool();
    }
}
