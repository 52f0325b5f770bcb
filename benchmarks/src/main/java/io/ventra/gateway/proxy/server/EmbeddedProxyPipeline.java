package io.ventra.gateway.proxy.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.ventra.gateway.proxy.upstream.UpstreamPool;

/**
 * Hands the pipeline benchmark the proxy's client-side handlers, which are package-private, so that it can run
 * them in an {@code EmbeddedChannel}. Lives in the benchmarks module only; the gateway never loads it.
 */
public final class EmbeddedProxyPipeline {
    private EmbeddedProxyPipeline() {
    }

    /** Returns a handler that sets up a connection exactly as {@link GatewayServer} sets up each client. */
    public static ChannelHandler[] clientHandlers(GatewayServer server) {
        return new ChannelHandler[] {new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                server.initClientPipeline(ch.pipeline());
            }
        }};
    }

    /** Returns the server's upstream pool. */
    public static UpstreamPool pool(GatewayServer server) {
        return server.pool();
    }
}
