package io.ventra.gateway.core.testing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves that every harness topology runs real Redis processes that Lettuce clients can use.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisHarnessIntegrationTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

    private static ClientResources resources;

    @BeforeAll
    static void createResources() {
        resources = DefaultClientResources.create();
    }

    @AfterAll
    static void shutdownResources() {
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static RedisURI withTimeout(RedisURI uri, Duration timeout) {
        uri.setTimeout(timeout);
        return uri;
    }

    @Nested
    class Standalone {

        @RegisterExtension
        static final RedisExtension REDIS = RedisExtension.standalone();

        @Test
        void setAndGetThroughLettuce() {
            RedisServerProcess server = REDIS.server();
            assertThat(server.uri()).isEqualTo("redis://127.0.0.1:" + server.port());
            assertThat(ProcessHandle.of(server.pid())).isPresent();
            try (RedisClient client = RedisClient.create(resources, withTimeout(REDIS.uri(), CLIENT_TIMEOUT));
                    StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("greeting", "hello");

                assertThat(connection.sync().get("greeting")).isEqualTo("hello");
            }
            assertThat(server.keys()).contains("greeting");
            assertThat(server.command("GET", "greeting")).isEqualTo("hello");
        }

        @Test
        void runsArbitraryCommandsAndFlushes() {
            RedisServerProcess server = REDIS.server();
            server.flushAll();

            assertThat(server.command("SET", "a", "1")).isEqualTo("OK");
            assertThat(server.command("INCR", "counter")).isEqualTo(1L);
            assertThat(server.keys()).containsExactly("a", "counter");
            assertThat(server.dbSize()).isEqualTo(2);

            REDIS.flushAll();
            assertThat(server.dbSize()).isZero();
        }

        @Test
        void stopAndRestartLeaveAnEmptyDatasetOnTheSamePort() {
            RedisServerProcess server = REDIS.server();
            server.command("SET", "survivor", "no");
            int port = server.port();
            long pid = server.pid();

            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            try (RedisClient client = RedisClient.create(resources, withTimeout(REDIS.uri(), CLIENT_TIMEOUT))) {
                assertThatThrownBy(client::connect).isInstanceOf(RedisConnectionException.class);
            }

            server.restart();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.pid()).isNotEqualTo(pid);
            assertThat(server.dbSize()).isZero();
            assertThat(server.keys()).isEmpty();
        }

        @Test
        void pauseTimesCommandsOutUntilItEnds() {
            RedisServerProcess server = REDIS.server();
            RedisURI uri = withTimeout(server.redisUri(), Duration.ofMillis(200));
            try (RedisClient client = RedisClient.create(resources, uri);
                    StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                redis.set("paused", "value");

                server.pause(Duration.ofSeconds(1));

                assertThatThrownBy(() -> redis.get("paused")).isInstanceOf(RedisCommandTimeoutException.class);
                await().atMost(Duration.ofSeconds(10)).ignoreException(RedisCommandTimeoutException.class)
                        .untilAsserted(() -> assertThat(redis.get("paused")).isEqualTo("value"));
            }
        }
    }

    @Nested
    class Cluster {

        @RegisterExtension
        static final RedisExtension REDIS = RedisExtension.cluster();

        @Test
        void writesToKeysInDifferentSlotsLandOnTheirOwnMasters() {
            RedisCluster cluster = REDIS.redisCluster();
            assertThat(cluster.masters()).hasSize(RedisCluster.MASTERS);
            cluster.nodes().forEach(node -> assertThat(node.commands().clusterInfo()).contains("cluster_state:ok"));

            Map<String, RedisServerProcess> keys = oneKeyPerMaster(cluster);
            writeAndVerify(cluster, keys.keySet());

            assertThat(keys.keySet()).extracting(SlotHash::getSlot).doesNotHaveDuplicates();
            keys.forEach((key, master) -> assertThat(master.command("GET", key)).isEqualTo("value-" + key));
        }
    }

    @Nested
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class ClusterWithReplicas {

        @RegisterExtension
        static final RedisExtension REDIS = RedisExtension.clusterWithReplicas();

        @Test
        @Order(1)
        void everyMasterHasAnAttachedReplica() {
            RedisCluster cluster = REDIS.redisCluster();

            assertThat(cluster.nodes()).hasSize(2 * RedisCluster.MASTERS);
            assertThat(cluster.masters()).hasSize(RedisCluster.MASTERS)
                    .allSatisfy(master -> assertThat(cluster.replicaOf(master)).isPresent());
        }

        @Test
        @Order(2)
        void failMasterPromotesItsReplicaAndWritesStillSucceed() {
            RedisCluster cluster = REDIS.redisCluster();
            RedisServerProcess victim = cluster.masterForKey("victim");
            RedisServerProcess replica = cluster.replicaOf(victim).orElseThrow();

            RedisServerProcess promoted = cluster.failMaster(victim);

            assertThat(promoted).isSameAs(replica);
            assertThat(victim.isRunning()).isFalse();
            assertThat(cluster.masterForKey("victim")).isSameAs(replica);
            assertThat(cluster.masters()).hasSize(RedisCluster.MASTERS).doesNotContain(victim);
            writeAndVerify(cluster, List.of("victim"));
            writeAndVerify(cluster, oneKeyPerMaster(cluster).keySet());
            assertThat(replica.command("GET", "victim")).isEqualTo("value-victim");
        }
    }

    @Nested
    class Sentinel {

        @RegisterExtension
        static final RedisExtension REDIS = RedisExtension.sentinel();

        @Test
        void connectsThroughTheSentinelUri() {
            RedisSentinelSet set = REDIS.sentinelSet();
            assertThat(set.sentinelUriString())
                    .isEqualTo("redis-sentinel://127.0.0.1:" + set.sentinelPort() + "#" + set.masterName());
            RedisURI uri = withTimeout(RedisURI.create(set.sentinelUriString()), CLIENT_TIMEOUT);

            try (RedisClient client = RedisClient.create(resources, uri);
                    StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("via-sentinel", "yes");

                assertThat(connection.sync().get("via-sentinel")).isEqualTo("yes");
            }
            assertThat(set.master().command("GET", "via-sentinel")).isEqualTo("yes");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(set.replica().command("GET", "via-sentinel")).isEqualTo("yes"));
        }
    }

    private static Map<String, RedisServerProcess> oneKeyPerMaster(RedisCluster cluster) {
        Map<String, RedisServerProcess> keys = new LinkedHashMap<>();
        for (int i = 0; keys.size() < RedisCluster.MASTERS && i < 1_000; i++) {
            RedisServerProcess master = cluster.masterForKey("key-" + i);
            if (!keys.containsValue(master)) {
                keys.put("key-" + i, master);
            }
        }
        assertThat(keys).hasSize(RedisCluster.MASTERS);
        return keys;
    }

    private static void writeAndVerify(RedisCluster cluster, Iterable<String> keys) {
        List<RedisURI> seeds = cluster.seedUris().stream().map(uri -> withTimeout(uri, CLIENT_TIMEOUT)).toList();
        try (RedisClusterClient client = RedisClusterClient.create(resources, seeds);
                StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            for (String key : keys) {
                connection.sync().set(key, "value-" + key);
                assertThat(connection.sync().get(key)).isEqualTo("value-" + key);
            }
        }
    }
}
