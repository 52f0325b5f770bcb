package io.ventra.gateway.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.ventra.gateway.core.config.ProxyConfig;
import java.util.concurrent.TimeUnit;

/**
 * Lets the pipeline benchmark put an in-memory upstream connection into an {@link UpstreamPool}, so a proxied
 * request runs end to end with no socket. Lives in the benchmarks module only; the gateway never loads it.
 */
public final class EmbeddedUpstreams {
    private EmbeddedUpstreams() {
    }

    /** Returns the handlers {@link UpstreamPool} puts on each upstream connection, in order. */
    // TODO: this repeats UpstreamPool's initializer; if it changes there, the benchmark drifts until a shared
    //  package-private factory (proposed in BENCHMARKS.md) replaces both.
    public static ChannelHandler[] handlers(ProxyConfig config) {
        return new ChannelHandler[] {
            new HttpClientCodec(new HttpDecoderConfig().setMaxHeaderSize(65536).setStrictLineParsing(true),
                    false, false),
            new IdleStateHandler(0, 0, config.poolIdleTimeout().toMillis(), TimeUnit.MILLISECONDS),
            new UpstreamHandler()
        };
    }

    /**
     * Puts {@code channel}, which must carry {@link #handlers} and be active, into the pool as an idle
     * connection to {@code host:port}. Call on the channel's event loop.
     */
    public static void lend(UpstreamPool pool, Channel channel, String host, int port) {
        pool.release(new UpstreamConnection(channel, false), host, port);
    }
}
