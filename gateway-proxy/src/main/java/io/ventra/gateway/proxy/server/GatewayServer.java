package io.ventra.gateway.proxy.server;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.ventra.gateway.core.Gatekeeper;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.config.ProxyConfig;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.StoreHealth;
import io.ventra.gateway.proxy.admin.AdminHandler;
import io.ventra.gateway.proxy.metrics.AccessLog;
import io.ventra.gateway.proxy.metrics.GatewayMetrics;
import io.ventra.gateway.proxy.reload.ConfigReloader;
import io.ventra.gateway.proxy.upstream.UpstreamPool;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
    private final GatewayMetrics metrics;
    private final ExecutorService adminTasks = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "ventra-admin");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile ExchangeObserver observer;
    private volatile ConfigReloader reloader;
    private volatile String adminToken;
    private Channel proxyChannel;
    private Channel adminChannel;

    private GatewayServer(GatewayConfig config, BucketStore store) {
        this.store = store;
        this.gatekeeper = new AtomicReference<>(Gatekeeper.create(config, store));
        this.transport = Transport.best();
        this.bossGroup = transport.newGroup(1, "ventra-accept");
        this.workerGroup = transport.newGroup(config.server().ioThreads(), "ventra-io");
        this.pool = new UpstreamPool(config.proxy(), transport.socketChannel());
        this.metrics = new GatewayMetrics(store);
        this.observer = ExchangeObserver.of(metrics, new AccessLog());
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
            server.stop(Duration.ZERO, Duration.ZERO);
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

    /**
     * Tells whether new requests are refused: true from the moment the gateway stops accepting connections
     * (after the drain delay) until it exits.
     */
    public boolean isDraining() {
        return draining.get();
    }

    /** Tells whether a shutdown began; readiness reports 503 from then on, while liveness stays 200. */
    public boolean isShuttingDown() {
        return shuttingDown.get();
    }

    /**
     * Returns the store's health as last seen, without waiting for the store.
     */
    public StoreHealth storeHealth() {
        return store.health();
    }

    /** Returns the gateway's meters (served on {@code /metrics}). */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Returns the executor for admin work that must not run on an event loop (scrapes, reloads). */
    public ExecutorService adminTasks() {
        return adminTasks;
    }

    /** Returns who reloads the configuration, or {@code null} when reloading is not set up. */
    public ConfigReloader reloader() {
        return reloader;
    }

    /** Returns the bearer token {@code POST /admin/reload} requires, or {@code null} when it is disabled. */
    public String adminToken() {
        return adminToken;
    }

    /** Sets the bearer token for {@code POST /admin/reload}; {@code null} or empty disables the endpoint. */
    public void adminToken(String token) {
        this.adminToken = token;
    }

    /** Sets who reloads the configuration for {@code POST /admin/reload}; closed when the gateway stops. */
    public void reloader(ConfigReloader newReloader) {
        this.reloader = requireNonNull(newReloader, "newReloader");
    }

    /**
     * Swaps in a gatekeeper for {@code newConfig} over the same store, atomically: a request already admitted
     * keeps the gatekeeper it started with, every later request uses the new one. Buckets live in the store,
     * so a changed limit applies to the buckets in place. Listener, store and proxy settings are not re-read.
     *
     * @return the configuration that was replaced
     */
    public GatewayConfig swapConfig(GatewayConfig newConfig) {
        return gatekeeper.getAndSet(Gatekeeper.create(requireNonNull(newConfig, "newConfig"), store)).config();
    }

    /**
     * Opens and closes a TCP connection to an upstream, for readiness output.
     *
     * @return completes with true when connected within {@code timeout}, false otherwise; never fails
     */
    public CompletableFuture<Boolean> probeUpstream(String host, int port, Duration timeout) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        if (workerGroup.isShuttingDown()) {
            result.complete(false);
            return result;
        }
        ChannelFuture connect = new Bootstrap()
                .group(workerGroup)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
                .handler(new ChannelInboundHandlerAdapter())
                .connect(host, port);
        connect.addListener((ChannelFuture f) -> {
            result.complete(f.isSuccess());
            if (f.isSuccess()) {
                f.channel().close();
            }
        });
        return result;
    }

    /** Returns how many client connections are open. */
    public int openConnections() {
        return clients.size();
    }

    /**
     * Sets who else watches connections and exchanges. The gateway's own metrics and access log always watch;
     * {@code newObserver} is told after them and replaces any earlier extra observer.
     */
    public void observer(ExchangeObserver newObserver) {
        requireNonNull(newObserver, "newObserver");
        this.observer = ExchangeObserver.of(metrics, new AccessLog(), newObserver);
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
     * Stops gracefully with the configured drain delay; see {@link #stop(Duration, Duration)}.
     */
    public void stop(Duration grace) {
        stop(config().server().drainDelay(), grace);
    }

    /**
     * Stops gracefully, in phases, each logged with counts. (1) Readiness turns 503; liveness stays 200.
     * (2) The proxy keeps accepting for {@code drainDelay}, so load balancers notice first. (3) It stops
     * accepting, closes idle keep-alive connections at once, and lets in-flight requests finish; their responses
     * carry {@code Connection: close}, and a new request on an open connection gets 503 with
     * {@code Connection: close}. (4) After {@code grace} whatever is left is closed. (5) The admin port, the
     * event loops and last the store are closed. Returns as soon as the work is done. Runs once; later calls
     * return at once.
     */
    public void stop(Duration drainDelay, Duration grace) {
        requireNonNull(drainDelay, "drainDelay");
        requireNonNull(grace, "grace");
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        long startNanos = System.nanoTime();
        shuttingDown.set(true);
        ConfigReloader currentReloader = reloader;
        if (currentReloader != null) {
            currentReloader.close();
        }
        log.info("Shutdown phase 1/5: readiness now reports 503; {} connections open, {} requests in flight",
                clients.size(), metrics.requestsInFlight());
        if (!drainDelay.isZero() && proxyChannel != null) {
            log.info("Shutdown phase 2/5: still accepting for {} ms so that load balancers stop sending traffic",
                    drainDelay.toMillis());
            sleepQuietly(drainDelay.toMillis());
        } else {
            log.info("Shutdown phase 2/5: no drain delay configured; stopping to accept now");
        }
        draining.set(true);
        if (proxyChannel != null) {
            proxyChannel.close().syncUninterruptibly();
        }
        int[] counts = drainConnections();
        log.info("Shutdown phase 3/5: stopped accepting; closed {} idle connections; waiting up to {} ms for {} "
                + "connections with requests in flight", counts[0], grace.toMillis(), counts[1]);
        // The grace period starts when accepting stops, after the drain delay.
        boolean finished = awaitClients(System.nanoTime(), grace);
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (finished) {
            log.info("Shutdown phase 4/5: every in-flight request finished; {} ms since shutdown began",
                    waitedMillis);
        } else {
            log.info("Shutdown phase 4/5: grace period of {} ms over; closing {} connections that are still busy",
                    grace.toMillis(), clients.size());
            clients.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        closeResources();
        log.info("Shutdown phase 5/5: closed the admin port, event loops and the {} store; stopped after {} ms",
                store.type(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }

    @Override
    public void close() {
        stop(config().server().shutdownGrace());
    }

    private void bind() {
        GatewayConfig config = config();
        ProxyConfig proxy = config.proxy();
        ConnectionLimit connectionLimit = new ConnectionLimit(proxy.maxConnections());
        proxyChannel = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!connectionLimit.tryAcquire(ch)) {
                            return;
                        }
                        clients.add(ch);
                        initClientPipeline(ch.pipeline());
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

    /** Adds the handlers of one client connection: the strict HTTP codec, then the proxy. */
    void initClientPipeline(ChannelPipeline pipeline) {
        pipeline.addLast("codec", new CombinedChannelDuplexHandler<>(
                new StrictRequestDecoder(config().proxy()), new HttpResponseEncoder()));
        pipeline.addLast("proxy", new ProxyHandler(this));
    }

    /** Closes idle connections and marks busy ones to close after their response; returns {idle, busy}. */
    private int[] drainConnections() {
        AtomicInteger idle = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Channel client : clients) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            done.add(drained);
            client.eventLoop().execute(() -> {
                ProxyHandler handler = handlerOf(client);
                if (handler == null || handler.isIdle()) {
                    idle.incrementAndGet();
                } else {
                    busy.incrementAndGet();
                }
                if (handler != null) {
                    handler.drain();
                } else {
                    client.close();
                }
                drained.complete(null);
            });
        }
        try {
            CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Drain tasks did not all run in time", e);
        }
        return new int[] {idle.get(), busy.get()};
    }

    /** Waits until every client connection closed or the grace period ran out; tells whether all closed. */
    private boolean awaitClients(long startNanos, Duration grace) {
        long deadline = startNanos + grace.toNanos();
        while (!clients.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            clients.newCloseFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
        }
        return true;
    }

    private void closeResources() {
        pool.closeIdle();
        if (adminChannel != null) {
            adminChannel.close().syncUninterruptibly();
        }
        adminTasks.shutdownNow();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // The store goes last: requests that were in flight until now may still have needed it.
        store.close();
        metrics.close();
        AccessLog.flush(2000);
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
