package io.ventra.gateway.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.ventra.gateway.core.config.ProxyConfig;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps keep-alive connections to upstreams, one pool per event loop so that a client connection and its
 * upstream connection share a thread and need no locks. Each upstream gets at most
 * {@code pool-max-connections} open connections per event loop (so at most that many times
 * {@code server.io-threads} in all); a request that finds none free waits in line for at most
 * {@code connect-timeout}, then its promise fails with {@link PoolExhaustedException} (the proxy answers 503).
 * A connection goes back to the pool only after a complete request and a complete response; idle ones close
 * after {@code pool-idle-timeout}.
 */
public final class UpstreamPool {
    private final ProxyConfig config;
    private final Class<? extends SocketChannel> channelType;
    private final Map<EventLoop, Map<String, Slot>> slots = new ConcurrentHashMap<>();

    public UpstreamPool(ProxyConfig config, Class<? extends SocketChannel> channelType) {
        this.config = config;
        this.channelType = channelType;
    }

    /**
     * Returns a connection to {@code host:port} on {@code loop}: an idle one, a new one, or the next one freed
     * when the upstream is at its bound. Call on {@code loop}. The connection is handed over with its listener
     * attached; the promise fails if connecting fails or no connection frees up in time. Cancelling the promise
     * leaves the line.
     */
    public Future<UpstreamConnection> acquire(EventLoop loop, String host, int port, UpstreamListener listener) {
        Promise<UpstreamConnection> promise = loop.newPromise();
        Slot slot = slotOn(loop, host, port);
        Channel idle = slot.pollIdle();
        if (idle != null) {
            hand(idle, true, listener, promise);
        } else if (slot.open < config.poolMaxConnections()) {
            connect(loop, slot, listener, promise);
        } else {
            slot.waitFor(loop, listener, promise, config.connectTimeout().toMillis());
        }
        return promise;
    }

    /**
     * Takes back a connection whose request was fully written and whose response was fully read. Call on the
     * connection's event loop. Anything else must be {@linkplain UpstreamConnection#discard discarded}.
     */
    public void release(UpstreamConnection connection, String host, int port) {
        Channel channel = connection.channel();
        connection.detach();
        if (!channel.isActive()) {
            return;
        }
        Slot slot = slotOn(channel.eventLoop(), host, port);
        Waiter waiter = slot.nextWaiter();
        if (waiter != null) {
            hand(channel, true, waiter.listener(), waiter.promise());
            return;
        }
        if (slot.idle.size() >= config.poolMaxIdle()) {
            channel.close();
            return;
        }
        slot.idle.addLast(channel);
        channel.read();
    }

    /** Closes every idle connection. */
    public void closeIdle() {
        for (Map.Entry<EventLoop, Map<String, Slot>> loop : slots.entrySet()) {
            loop.getKey().execute(() -> loop.getValue().values().forEach(slot -> {
                slot.idle.forEach(Channel::close);
                slot.idle.clear();
            }));
        }
    }

    private void hand(Channel channel, boolean reused, UpstreamListener listener,
            Promise<UpstreamConnection> promise) {
        UpstreamConnection connection = new UpstreamConnection(channel, reused);
        connection.attach(listener);
        if (!promise.trySuccess(connection)) {
            // The exchange gave up meanwhile (client gone); nobody owns the connection now.
            connection.detach();
            channel.close();
        }
    }

    private void connect(EventLoop loop, Slot slot, UpstreamListener listener, Promise<UpstreamConnection> promise) {
        slot.open++;
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initUpstreamPipeline(ch.pipeline(), config);
                    }
                })
                .connect(slot.host, slot.port);
        connect.channel().closeFuture().addListener(closed -> {
            slot.open--;
            Waiter waiter = slot.nextWaiter();
            if (waiter != null) {
                connect(loop, slot, waiter.listener(), waiter.promise());
            }
        });
        connect.addListener(done -> {
            if (done.isSuccess()) {
                hand(connect.channel(), false, listener, promise);
            } else {
                connect.channel().close();
                promise.tryFailure(done.cause());
            }
        });
    }

    private Slot slotOn(EventLoop loop, String host, int port) {
        return slots.computeIfAbsent(loop, l -> new HashMap<>())
                .computeIfAbsent(host + ':' + port, k -> new Slot(host, port));
    }

    private record Waiter(UpstreamListener listener, Promise<UpstreamConnection> promise,
            ScheduledFuture<?> deadline) {
    }

    /** One upstream's connections on one event loop; confined to that loop, so nothing is volatile. */
    private static final class Slot {
        private final String host;
        private final int port;
        private final ArrayDeque<Channel> idle = new ArrayDeque<>();
        private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
        private int open;

        Slot(String host, int port) {
            this.host = host;
            this.port = port;
        }

        Channel pollIdle() {
            Channel channel;
            while ((channel = idle.pollLast()) != null) {
                if (channel.isActive()) {
                    return channel;
                }
            }
            return null;
        }

        void waitFor(EventLoop loop, UpstreamListener listener, Promise<UpstreamConnection> promise, long millis) {
            ScheduledFuture<?> deadline = loop.schedule(() -> {
                promise.tryFailure(new PoolExhaustedException(host + ':' + port));
            }, millis, TimeUnit.MILLISECONDS);
            waiters.addLast(new Waiter(listener, promise, deadline));
        }

        /** Returns the first waiter still waiting, or {@code null}. */
        Waiter nextWaiter() {
            Waiter waiter;
            while ((waiter = waiters.pollFirst()) != null) {
                waiter.deadline().cancel(false);
                if (!waiter.promise().isDone()) {
                    return waiter;
                }
            }
            return null;
        }
    }

    /** Adds the handlers of one upstream connection: the HTTP client codec, the idle timer, the exchange hook. */
    static void initUpstreamPipeline(ChannelPipeline pipeline, ProxyConfig config) {
        pipeline.addLast("codec", new HttpClientCodec(new HttpDecoderConfig()
                .setMaxHeaderSize(65536)
                .setStrictLineParsing(true)
                .setUseRfc9112TransferEncoding(true), false, false));
        pipeline.addLast("idle", new IdleStateHandler(
                0, 0, config.poolIdleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("upstream", new UpstreamHandler());
    }
}
