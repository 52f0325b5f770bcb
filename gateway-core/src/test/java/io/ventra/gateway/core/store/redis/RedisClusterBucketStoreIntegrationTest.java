package io.ventra.gateway.core.store.redis;

import io.ventra.gateway.core.store.BucketStore;
import io.ventra.gateway.core.store.BucketStoreContract;
import io.ventra.gateway.core.testing.ManualClock;
import io.ventra.gateway.core.testing.redis.RedisExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs the store contract on a three-master Redis Cluster: every operation must work on any slot. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class RedisClusterBucketStoreIntegrationTest extends BucketStoreContract {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.cluster();

    private static RedisConnection connection;

    @BeforeAll
    static void connect() {
        connection = RedisTestSupport.connect(RedisTestSupport.config(REDIS, RedisTestSupport.RELAXED_TIMEOUT));
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    @Override
    protected ManualClock createClock() {
        return new ManualClock();
    }

    @Override
    protected BucketStore createStore(ManualClock clock) {
        return new RedisBucketStore(connection, "tck:", clock, true);
    }
}
