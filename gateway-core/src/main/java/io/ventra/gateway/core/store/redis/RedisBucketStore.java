package io.ventra.gateway.core.store.redis;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteAsyncBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.RedisApi;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.ventra.gateway.core.config.LimitConfig;
import io.ventra.gateway.core.config.RedisStoreConfig;
import io.ventra.gateway.core.limit.NanoClock;
import io.ventra.gateway.core.limit.Quota;
import io.ventra.gateway.core.store.BucketShapes;
import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.Probe;
import io.ventra.gateway.core.store.StoreHealth;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Keeps buckets in Redis, so that every gateway instance (and every JVM service embedding the library) shares
 * them: 30 a minute is 30 across the fleet. Built on bucket4j's Lettuce compare-and-swap store: a decision reads
 * the bucket (GET), does the token arithmetic here, and writes it back only if nobody changed it meanwhile
 * (EVAL of a compare-and-swap script), retrying on conflict. Never blocks the caller.
 *
 * <p><b>Keys.</b> One key per account and quota: {@code prefix + "{" + account + "}:" + bucket}, for example
 * {@code ventra:{acme}:plan:free} and {@code ventra:{acme}:endpoint:discovery}. The braces are a Cluster hash
 * tag: an account's keys share one slot. '{', '}' and '%' in account names are percent-encoded, so distinct
 * accounts never share a key or break the tag.
 *
 * <p><b>Expiry.</b> Each write sets a TTL of the time the bucket needs to refill to full, plus 1 s; an idle
 * account's keys disappear once they would be full anyway, so nothing is lost and nothing stays locked. Free
 * 30/min after one request: the key lives about 3 s.
 *
 * <p><b>Limits changed in YAML.</b> A bucket keeps its configuration in Redis next to its tokens. When this
 * process first sees a new shape for a quota (a reload or a restart with other limits), it gives that shape a
 * version number from the wall clock (in ms, and always above the previous version here); a bucket whose stored
 * version is lower takes the new shape on its next use, keeping the tokens it has, capped at the new capacity
 * (bucket4j's {@code AS_IS} inheritance, as in the memory store). A restart never resets a bucket to full. While
 * instances with different limits run side by side, the most recently loaded limits win.
 *
 * <p><b>Hot keys.</b> Each key's requests are batched: while one compare-and-swap for a key is in flight, the
 * requests arriving for that key wait and then go together in one round trip. Without batching, hundreds of
 * concurrent requests for one key each retry their GET + EVAL until they win, and throughput collapses.
 */
public final class RedisBucketStore implements BucketStore {
    /** Kept after a bucket would be full again, to cover clock differences between instances. */
    static final Duration KEEP_AFTER_REFILL = Duration.ofSeconds(1);

    private static final int MAX_CAS_RETRIES = 100;
    private static final long MAX_CACHED_BUCKETS = 100_000;
    private static final Duration CACHE_IDLE = Duration.ofMinutes(1);

    private final RedisConnection connection;
    private final boolean ownsConnection;
    private final String prefix;
    private final NanoClock clock;
    private final boolean batching;
    private final AsyncProxyManager<Object> proxyManager;
    private final ConcurrentMap<String, Shape> shapes = new ConcurrentHashMap<>();
    private final Cache<String, Entry> buckets;

    /**
     * Creates a store over a connection that the caller owns and closes; several stores may share it.
     *
     * @param prefix   prepended to every key, e.g. {@code ventra:}
     * @param clock    the time bucket arithmetic uses; wall-clock based, since instances compare timestamps
     * @param batching true in production; false only to measure what batching buys
     */
    public RedisBucketStore(RedisConnection connection, String prefix, NanoClock clock, boolean batching) {
        this(connection, false, prefix, clock, batching);
    }

    private RedisBucketStore(RedisConnection connection, boolean ownsConnection, String prefix, NanoClock clock,
            boolean batching) {
        this.connection = requireNonNull(connection, "connection");
        this.ownsConnection = ownsConnection;
        this.prefix = requireNonNull(prefix, "prefix");
        this.clock = requireNonNull(clock, "clock");
        this.batching = batching;
        this.proxyManager = new Bucket4jLettuce.LettuceBasedProxyManagerBuilder<>(new Commands(connection))
                .clientClock(BucketShapes.timeMeter(clock))
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        KEEP_AFTER_REFILL))
                .maxRetries(MAX_CAS_RETRIES)
                .build()
                .asAsync();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED_BUCKETS)
                .expireAfterAccess(CACHE_IDLE)
                .build();
    }

    /** Connects to Redis as {@code config} says and returns a store that owns (and closes) the connection. */
    public static RedisBucketStore connect(RedisStoreConfig config, NanoClock clock) {
        RedisConnection connection = RedisConnection.open(config);
        return new RedisBucketStore(connection, true, config.prefix(), clock, true);
    }

    @Override
    public CompletableFuture<Probe> tryConsume(String account, Quota quota) {
        return call(() -> bucket(account, quota).tryConsumeAndReturnRemaining(1).thenApply(BucketShapes::probe));
    }

    @Override
    public CompletableFuture<Void> refund(String account, Quota quota) {
        return call(() -> bucket(account, quota).addTokens(1));
    }

    /** Returns the Redis key of an account's bucket for {@code quota}. */
    public String key(String account, Quota quota) {
        return prefix + '{' + escape(account) + "}:" + quota.bucketName();
    }

    @Override
    public StoreHealth health() {
        return connection.isConnected() ? StoreHealth.UP : StoreHealth.DOWN;
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public void close() {
        buckets.invalidateAll();
        if (ownsConnection) {
            connection.close();
        }
    }

    @Override
    public String toString() {
        return connection.description();
    }

    private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> operation) {
        try {
            return operation.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private AsyncBucketProxy bucket(String account, Quota quota) {
        String key = key(account, quota);
        Shape shape = shape(quota);
        Entry entry = buckets.get(key, k -> new Entry(shape, newProxy(k, shape)));
        if (entry.shape != shape) {
            entry = new Entry(shape, newProxy(key, shape));
            buckets.put(key, entry);
        }
        return entry.proxy;
    }

    private Shape shape(Quota quota) {
        LimitConfig limit = quota.limit();
        Shape current = shapes.get(quota.bucketName());
        if (current != null && current.limit.equals(limit)) {
            return current;
        }
        return shapes.compute(quota.bucketName(), (name, previous) -> {
            if (previous != null && previous.limit.equals(limit)) {
                return previous;
            }
            long version = Math.max(clock.nanos() / 1_000_000L, previous == null ? 1 : previous.version + 1);
            return new Shape(limit, version, BucketShapes.configuration(limit));
        });
    }

    private AsyncBucketProxy newProxy(String key, Shape shape) {
        RemoteAsyncBucketBuilder<Object> builder = proxyManager.builder()
                .withImplicitConfigurationReplacement(shape.version, TokensInheritanceStrategy.AS_IS);
        if (batching) {
            builder = builder.withOptimization(Optimizations.batching());
        }
        CompletableFuture<BucketConfiguration> configuration = CompletableFuture.completedFuture(shape.configuration);
        return builder.build(key.getBytes(StandardCharsets.UTF_8), () -> configuration);
    }

    private static String escape(String account) {
        if (account.indexOf('{') < 0 && account.indexOf('}') < 0 && account.indexOf('%') < 0) {
            return account;
        }
        return account.replace("%", "%25").replace("{", "%7B").replace("}", "%7D");
    }

    /**
     * Hands bucket4j the connection's commands. Keys are typed {@code Object} because bucket4j passes them in an
     * {@code Object[]} (a generic array); each is the {@code byte[]} given to {@code build}.
     */
    private static final class Commands implements RedisApi<Object> {
        private final RedisConnection connection;

        Commands(RedisConnection connection) {
            this.connection = connection;
        }

        @Override
        public <V> RedisFuture<V> eval(String script, ScriptOutputType outputType, Object[] keys, byte[][] args) {
            return connection.eval(script, outputType, Arrays.copyOf(keys, keys.length, byte[][].class), args);
        }

        @Override
        public RedisFuture<byte[]> get(Object key) {
            return connection.get((byte[]) key);
        }

        @Override
        public RedisFuture<?> delete(Object key) {
            return connection.delete((byte[]) key);
        }
    }

    /** A quota's bucket shape as this process knows it, with the version that makes Redis adopt it. */
    private record Shape(LimitConfig limit, long version, BucketConfiguration configuration) {
    }

    /** A cached bucket proxy; batching works per proxy, so the same one must serve a key's requests. */
    private record Entry(Shape shape, AsyncBucketProxy proxy) {
    }
}
