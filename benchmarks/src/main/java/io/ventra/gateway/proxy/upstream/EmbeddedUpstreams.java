package io.ventra.gateway.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.ventra.gateway.core.config.ProxyConfig;

/**
 * Lets the pipeline benchmark put an in-memory upstream connection into an {@link UpstreamPool}, so a proxied
 * request runs end to end with no socket. Lives in the benchmarks module only; the gateway never loads it.
 */
public final class EmbeddedUpstreams {
    private EmbeddedUpstreams() {
    }

    /** Returns a handler that sets up a connection exactly as {@link UpstreamPool} sets up each upstream. */
    public static ChannelHandler[] handlers(ProxyConfig config) {
        return new ChannelHandler[] {new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                UpstreamPool.initUpstreamPipeline(ch.pipeline(), config);
            }
        }};
    }

    /**
     * Puts {@code channel}, which must carry {@link #handlers} and be active, into the pool as an idle
     * connection to {@code host:port}. Call on the channel's event loop.
     */
    public static void lend(UpstreamPool pool, Channel channel, String host, int port) {
        pool.release(new UpstreamConnection(channel, false), host, port);
    }
}
