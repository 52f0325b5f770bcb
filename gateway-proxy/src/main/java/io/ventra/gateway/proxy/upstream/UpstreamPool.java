package io.ventra.gateway.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.ventra.gateway.core.config.ProxyConfig;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps idle keep-alive connections to upstreams, one pool per event loop so that a client connection and its
 * upstream connection share a thread and need no locks. A connection goes back to the pool only after a
 * complete request and a complete response; idle ones close after {@code pool-idle-timeout}.
 */
public final class UpstreamPool {
    private final ProxyConfig config;
    private final Class<? extends SocketChannel> channelType;
    private final Map<EventLoop, Map<String, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();

    public UpstreamPool(ProxyConfig config, Class<? extends SocketChannel> channelType) {
        this.config = config;
        this.channelType = channelType;
    }

    /**
     * Returns a connection to {@code host:port} on {@code loop}, reused if one is idle. Call on {@code loop}.
     * The connection is handed over with its listener attached; the promise fails if connecting fails.
     */
    public Future<UpstreamConnection> acquire(EventLoop loop, String host, int port, UpstreamListener listener) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        ArrayDeque<Channel> channels = idleOn(loop).get(key(host, port));
        while (channels != null && !channels.isEmpty()) {
            Channel channel = channels.pollLast();
            if (channel.isActive()) {
                UpstreamConnection connection = new UpstreamConnection(channel, true);
                connection.attach(listener);
                return promise.setSuccess(connection);
            }
        }
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("codec", new HttpClientCodec(
                                new HttpDecoderConfig().setMaxHeaderSize(65536).setStrictLineParsing(true),
                                false, false));
                        ch.pipeline().addLast("idle", new IdleStateHandler(
                                0, 0, config.poolIdleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("upstream", new UpstreamHandler());
                    }
                })
                .connect(host, port);
        connect.addListener(done -> {
            if (done.isSuccess()) {
                UpstreamConnection connection = new UpstreamConnection(connect.channel(), false);
                connection.attach(listener);
                promise.setSuccess(connection);
            } else {
                promise.setFailure(done.cause());
            }
        });
        return promise;
    }

    /** Takes back a connection whose exchange finished cleanly. Call on the connection's event loop. */
    public void release(UpstreamConnection connection, String host, int port) {
        Channel channel = connection.channel();
        connection.detach();
        if (!channel.isActive()) {
            return;
        }
        ArrayDeque<Channel> channels = idleOn(channel.eventLoop()).computeIfAbsent(key(host, port),
                k -> new ArrayDeque<>());
        if (channels.size() >= config.poolMaxIdle()) {
            channel.close();
            return;
        }
        channels.addLast(channel);
        channel.read();
    }

    /** Closes every idle connection. */
    public void closeIdle() {
        for (Map.Entry<EventLoop, Map<String, ArrayDeque<Channel>>> loop : idle.entrySet()) {
            loop.getKey().execute(() -> loop.getValue().values().forEach(channels -> {
                channels.forEach(Channel::close);
                channels.clear();
            }));
        }
    }

    private Map<String, ArrayDeque<Channel>> idleOn(EventLoop loop) {
        return idle.computeIfAbsent(loop, l -> new HashMap<>());
    }

    private static String key(String host, int port) {
        return host + ':' + port;
    }
}
