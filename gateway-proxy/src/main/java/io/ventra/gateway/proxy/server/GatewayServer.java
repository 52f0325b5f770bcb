package io.ventra.gateway.proxy.server;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.ventra.gateway.core.Gatekeeper;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.ProxyConfig;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.proxy.admin.AdminHandler;
import io.ventra.gateway.proxy.upstream.UpstreamPool;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the proxy listener, the admin listener, the upstream pool and the store. Start it with
 * {@link #start}, stop it with {@link #stop}, which drains in-flight requests first.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final AtomicReference<Gatekeeper> gatekeeper;
    private final BucketStore store;
    private final Transport transport;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final UpstreamPool pool;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ExchangeObserver observer = ExchangeObserver.NONE;
    private Channel proxyChannel;
    private Channel adminChannel;

    private GatewayServer(GatewayConfig config, BucketStore store) {
        this.store = store;
        this.gatekeeper = new AtomicReference<>(Gatekeeper.create(config, store));
        this.transport = Transport.best();
        this.bossGroup = transport.newGroup(1, "ventra-accept");
        this.workerGroup = transport.newGroup(config.server().ioThreads(), "ventra-io");
        this.pool = new UpstreamPool(config.proxy(), transport.socketChannel());
    }

    /**
     * Binds the proxy and admin ports and returns the running server.
     *
     * @throws IllegalStateException if a port cannot be bound
     */
    public static GatewayServer start(GatewayConfig config, BucketStore store) {
        GatewayServer server = new GatewayServer(requireNonNull(config, "config"), requireNonNull(store, "store"));
        try {
            server.bind();
        } catch (RuntimeException e) {
            server.stop(Duration.ZERO);
            throw e;
        }
        return server;
    }

    public GatewayConfig config() {
        return gatekeeper.get().config();
    }

    public Gatekeeper gatekeeper() {
        return gatekeeper.get();
    }

    public BucketStore store() {
        return store;
    }

    /** Returns the bound proxy port (useful when configured as 0). */
    public int port() {
        return ((InetSocketAddress) proxyChannel.localAddress()).getPort();
    }

    /** Returns the bound admin port. */
    public int adminPort() {
        return ((InetSocketAddress) adminChannel.localAddress()).getPort();
    }

    public boolean isDraining() {
        return draining.get();
    }

    /** Returns how many client connections are open. */
    public int openConnections() {
        return clients.size();
    }

    /** Sets who watches connections and exchanges (metrics, access log). */
    public void observer(ExchangeObserver newObserver) {
        this.observer = requireNonNull(newObserver, "newObserver");
    }

    ExchangeObserver observer() {
        return observer;
    }

    UpstreamPool pool() {
        return pool;
    }

    Map<String, String> securityHeaders() {
        return gatekeeper.get().config().securityHeaders();
    }

    /**
     * Stops gracefully: refuses new connections, closes idle keep-alive connections, lets in-flight requests
     * finish (their responses carry {@code Connection: close}) for at most {@code grace}, then closes what is
     * left, the event loops and the store. Returns as soon as the work is done.
     */
    public void stop(Duration grace) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        draining.set(true);
        if (proxyChannel != null) {
            proxyChannel.close().syncUninterruptibly();
        }
        int inFlight = (int) clients.stream().filter(c -> {
            ProxyHandler handler = handlerOf(c);
            return handler != null && !handler.isIdle();
        }).count();
        log.info("Draining: stopped accepting; closing {} idle connections, waiting for {} in-flight requests",
                clients.size() - inFlight, inFlight);
        for (Channel client : clients) {
            client.eventLoop().execute(() -> {
                ProxyHandler handler = handlerOf(client);
                if (handler != null) {
                    handler.drain();
                }
            });
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly(20);
        }
        if (!clients.isEmpty()) {
            log.info("Grace period over; closing {} connections that are still busy", clients.size());
            clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        pool.closeIdle();
        if (adminChannel != null) {
            adminChannel.close().syncUninterruptibly();
        }
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        store.close();
        log.info("Stopped");
    }

    @Override
    public void close() {
        stop(config().server().shutdownGrace());
    }

    private void bind() {
        GatewayConfig config = config();
        ProxyConfig proxy = config.proxy();
        proxyChannel = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        clients.add(ch);
                        ch.pipeline().addLast("codec", new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(proxy.maxInitialLineBytes())
                                .setMaxHeaderSize(proxy.maxHeaderBytes())
                                .setStrictLineParsing(true)));
                        ch.pipeline().addLast("proxy", new ProxyHandler(GatewayServer.this));
                    }
                })
                .bind(config.server().bind(), config.server().port())
                .syncUninterruptibly()
                .channel();
        adminChannel = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new HttpObjectAggregator(65536));
                        ch.pipeline().addLast(new AdminHandler(GatewayServer.this));
                    }
                })
                .bind(config.server().adminBind(), config.server().adminPort())
                .syncUninterruptibly()
                .channel();
        log.info("Listening on {} (proxy) and {} (admin), transport {}, store {}, {} routes, {} plans",
                proxyChannel.localAddress(), adminChannel.localAddress(), transport.name(), store.type(),
                config.routes().size(), config.plans().size());
    }

    private static ProxyHandler handlerOf(Channel channel) {
        return channel.pipeline().get(ProxyHandler.class);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
