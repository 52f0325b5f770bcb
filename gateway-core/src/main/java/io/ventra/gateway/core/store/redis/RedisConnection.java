package io.ventra.gateway.core.store.redis;

import static java.util.Objects.requireNonNull;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.ventra.gateway.core.config.RedisStoreConfig;
import io.ventra.gateway.core.config.RedisStoreConfig.Mode;
import io.ventra.gateway.core.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import reactor.core.Disposable;

/**
 * The one Lettuce connection a process keeps to Redis (standalone, through Sentinel, or to a Cluster), offering
 * the three commands bucket4j needs: GET, EVAL and DEL. Everything is asynchronous; nothing here ever blocks a
 * caller.
 *
 * <p>Built to fail fast rather than to wait:
 * <ul>
 *   <li>Commands time out after {@code timeout} (Lettuce's fixed command timeout).</li>
 *   <li>While disconnected, commands are rejected at once instead of being queued and replayed on reconnect,
 *       so a request answered by its failure mode is never charged later behind its back.</li>
 *   <li>A lost connection reconnects by itself, retrying at most a second apart; on a Cluster the topology is
 *       refreshed on reconnects, redirects and every 5 s, so a promoted replica is found without a restart.</li>
 *   <li>If Redis is down when the gateway starts, {@link #open} still returns; commands fail until a
 *       background attempt (one per second) connects.</li>
 * </ul>
 */
public final class RedisConnection implements AutoCloseable {
    private static final Duration RETRY_CONNECT = Duration.ofSeconds(1);
    private static final Duration MIN_SETUP_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(5);
    private static final StoreUnavailableException NOT_CONNECTED =
            new StoreUnavailableException("Not connected to Redis yet");

    private final String description;
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final List<RedisURI> uris;
    private final Mode mode;
    private volatile StatefulConnection<byte[], byte[]> connection;
    private volatile Commands commands;
    private volatile boolean closed;
    private volatile Disposable topologyWatch;

    private RedisConnection(RedisStoreConfig config) {
        this.mode = config.mode();
        this.uris = RedisUris.parse(config);
        Duration setupTimeout = config.timeout().compareTo(MIN_SETUP_TIMEOUT) < 0 ? MIN_SETUP_TIMEOUT
                : config.timeout();
        // The URI timeout bounds the connection handshake and cluster topology queries, not request commands.
        uris.forEach(uri -> uri.setTimeout(setupTimeout));
        this.description = describe(config, uris);
        this.resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), RETRY_CONNECT, 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = mode == Mode.CLUSTER ? clusterClient(config) : standaloneClient(config);
    }

    /**
     * Starts connecting and returns at once; commands fail with a {@link StoreUnavailableException} until the
     * connection is up.
     *
     * @throws IllegalArgumentException when the settings are invalid
     */
    public static RedisConnection open(RedisStoreConfig config) {
        RedisConnection connection = new RedisConnection(requireNonNull(config, "config"));
        if (config.mode() == Mode.CLUSTER) {
            connection.watchTopology();
        }
        connection.connect();
        return connection;
    }

    /** Tells whether the connection is up right now. */
    public boolean isConnected() {
        StatefulConnection<byte[], byte[]> current = connection;
        return current != null && current.isOpen();
    }

    /** Returns e.g. {@code redis standalone 127.0.0.1:6379}: mode and addresses, never credentials. */
    public String description() {
        return description;
    }

    /** Runs a Lua script on the keys' node. */
    public <V> RedisFuture<V> eval(String script, ScriptOutputType outputType, byte[][] keys, byte[]... args) {
        Commands current = commands;
        return current == null ? notConnected() : current.scripting.eval(script, outputType, keys, args);
    }

    /** Reads a key. */
    public RedisFuture<byte[]> get(byte[] key) {
        Commands current = commands;
        return current == null ? notConnected() : current.strings.get(key);
    }

    /** Deletes a key. */
    public RedisFuture<?> delete(byte[] key) {
        Commands current = commands;
        return current == null ? notConnected() : current.keys.del(key);
    }

    /** Closes the connection and the client's threads; waits at most a few seconds. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        commands = null;
        Disposable watch = topologyWatch;
        if (watch != null) {
            watch.dispose();
        }
        StatefulConnection<byte[], byte[]> current = connection;
        if (current != null) {
            // Closing the connection first lets the client's shutdown find nothing left to close twice.
            current.closeAsync().orTimeout(2, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return description;
    }

    private void connect() {
        if (closed) {
            return;
        }
        CompletableFuture<? extends StatefulConnection<byte[], byte[]>> attempt;
        try {
            attempt = mode == Mode.CLUSTER ? connectCluster((RedisClusterClient) client)
                    : ((RedisClient) client).connectAsync(ByteArrayCodec.INSTANCE, uris.get(0)).toCompletableFuture();
        } catch (RuntimeException e) {
            retryConnect();
            return;
        }
        attempt.whenComplete((connected, error) -> {
            if (error != null) {
                retryConnect();
            } else if (closed) {
                connected.closeAsync();
            } else {
                connection = connected;
                commands = Commands.of(connected);
            }
        });
    }

    private CompletableFuture<StatefulRedisClusterConnection<byte[], byte[]>> connectCluster(
            RedisClusterClient cluster) {
        // The topology must be known before connecting; loading it asynchronously keeps open() non-blocking.
        return cluster.refreshPartitionsAsync().toCompletableFuture()
                .thenCompose(loaded -> cluster.connectAsync(ByteArrayCodec.INSTANCE))
                .thenCompose(connected -> connectMasters(connected).thenApply(ready -> connected));
    }

    /**
     * Opens the connection to every master now. Lettuce opens node connections on first use, and while one is
     * being opened it rejects the commands for that node, as told; so connect up front, and again whenever the
     * topology changes (a promoted replica), instead of failing the first requests for each node.
     */
    private CompletableFuture<Void> connectMasters(StatefulRedisClusterConnection<byte[], byte[]> cluster) {
        List<CompletableFuture<?>> nodes = new ArrayList<>();
        for (RedisClusterNode node : ((RedisClusterClient) client).getPartitions()) {
            if (node.getRole().isUpstream() && !node.getSlots().isEmpty()) {
                RedisURI uri = node.getUri();
                // Failures are fine here: a node that is down is retried by Lettuce and the topology refresh.
                nodes.add(cluster.getConnectionAsync(uri.getHost(), uri.getPort()).handle((c, e) -> null));
            }
        }
        return CompletableFuture.allOf(nodes.toArray(CompletableFuture[]::new));
    }

    @SuppressWarnings("unchecked")
    private void watchTopology() {
        topologyWatch = resources.eventBus().get()
                .filter(event -> event instanceof ClusterTopologyChangedEvent)
                .subscribe(event -> {
                    StatefulConnection<byte[], byte[]> current = connection;
                    if (current instanceof StatefulRedisClusterConnection && !closed) {
                        connectMasters((StatefulRedisClusterConnection<byte[], byte[]>) current);
                    }
                });
    }

    private void retryConnect() {
        if (!closed) {
            resources.eventExecutorGroup().schedule(this::connect, RETRY_CONNECT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private RedisClient standaloneClient(RedisStoreConfig config) {
        RedisClient standalone = RedisClient.create(resources);
        standalone.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(config.timeout()).build())
                .socketOptions(socketOptions())
                .build());
        return standalone;
    }

    private RedisClusterClient clusterClient(RedisStoreConfig config) {
        RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
        cluster.setOptions(ClusterClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(config.timeout()).build())
                .socketOptions(socketOptions())
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(RETRY_CONNECT)
                        .refreshTriggersReconnectAttempts(3)
                        .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                        .build())
                .build());
        return cluster;
    }

    private static SocketOptions socketOptions() {
        return SocketOptions.builder().connectTimeout(MIN_SETUP_TIMEOUT).keepAlive(true).build();
    }

    private static <V> RedisFuture<V> notConnected() {
        AsyncCommand<byte[], byte[], V> command = new AsyncCommand<>(new Command<>(CommandType.GET, null));
        command.completeExceptionally(NOT_CONNECTED);
        return command;
    }

    private static String describe(RedisStoreConfig config, List<RedisURI> uris) {
        String mode = config.mode().name().toLowerCase(Locale.ROOT);
        if (config.mode() == Mode.SENTINEL) {
            RedisURI uri = uris.get(0);
            return "redis sentinel " + uri.getSentinels().stream().map(s -> s.getHost() + ":" + s.getPort())
                    .collect(Collectors.joining(",")) + " master " + uri.getSentinelMasterId();
        }
        return "redis " + mode + " " + uris.stream().map(u -> u.getHost() + ":" + u.getPort())
                .collect(Collectors.joining(","));
    }

    /** The three command groups bucket4j uses, from a standalone or a cluster connection. */
    private record Commands(
            RedisStringAsyncCommands<byte[], byte[]> strings,
            RedisScriptingAsyncCommands<byte[], byte[]> scripting,
            RedisKeyAsyncCommands<byte[], byte[]> keys) {
        @SuppressWarnings("unchecked")
        static Commands of(StatefulConnection<byte[], byte[]> connection) {
            if (connection instanceof StatefulRedisClusterConnection) {
                var async = ((StatefulRedisClusterConnection<byte[], byte[]>) connection).async();
                return new Commands(async, async, async);
            }
            var async = ((StatefulRedisConnection<byte[], byte[]>) connection).async();
            return new Commands(async, async, async);
        }
    }
}
