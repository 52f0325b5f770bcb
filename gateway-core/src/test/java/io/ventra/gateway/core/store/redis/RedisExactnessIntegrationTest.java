package io.ventra.gateway.core.store.redis;

import static io.ventra.gateway.core.store.redis.RedisGateway.DISCOVERY;
import static io.ventra.gateway.core.store.redis.RedisGateway.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.Admission.Verdict;
import io.ventra.gateway.core.config.GatewayConfig;
import io.ventra.gateway.core.limit.Decision;
import io.ventra.gateway.core.store.StoreListener;
import io.ventra.gateway.core.testing.ManualClock;
import io.ventra.gateway.core.testing.redis.RedisCluster;
import io.ventra.gateway.core.testing.redis.RedisExtension;
import io.ventra.gateway.core.testing.redis.RedisServerProcess;
import io.ventra.gateway.core.testing.redis.RedisTopology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * C17 and C18: three gateway instances, each with its own connection, share one Redis (standalone, then a
 * Cluster); concurrent requests for one account spread over them are admitted exactly up to the limit.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class RedisExactnessIntegrationTest {
    private static final int INSTANCES = 3;
    private static final int REQUESTS = 200;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();
    private final List<RedisGateway> instances = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        instances.forEach(RedisGateway::close);
    }

    void startInstances(RedisTopology topology) {
        topology.flushAll();
        GatewayConfig config = RedisGateway.config(dir, topology, RedisTestSupport.RELAXED_TIMEOUT, "on-failure: deny");
        for (int i = 0; i < INSTANCES; i++) {
            instances.add(RedisGateway.start(config, clock, StoreListener.NONE));
        }
    }

    void admitsExactlyTheLimitAcrossInstancesWithDistinctRemainingValues() throws Exception {
        // C17: for each of 5 fresh keys, 200 concurrent requests spread evenly over the instances
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            for (int key = 1; key <= 5; key++) {
                List<Admission> admissions = burst(threads, "free-v" + key);

                List<Admission> passed = admissions.stream().filter(Admission::isPass).collect(Collectors.toList());
                assertThat(passed).as("free-v%d admitted", key).hasSize(30);
                assertThat(passed).extracting(a -> a.decision().remaining())
                        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(0, 29).boxed().toList());
                assertThat(admissions).filteredOn(a -> !a.isPass())
                        .hasSize(REQUESTS - 30)
                        .allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.LIMITED));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private List<Admission> burst(ExecutorService threads, String key) {
        List<CompletableFuture<Admission>> futures = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            RedisGateway instance = instances.get(i % INSTANCES);
            futures.add(CompletableFuture.supplyAsync(() -> instance.admitAsync(key, OTHER), threads)
                    .thenCompose(f -> f));
        }
        return futures.stream().map(f -> f.orTimeout(30, TimeUnit.SECONDS).join()).toList();
    }

    @Nested
    class Standalone {
        @RegisterExtension
        static final RedisExtension REDIS = RedisExtension.standalone();

        @BeforeEach
        void start() {
            startInstances(REDIS.topology());
        }

        @Test
        void admitsExactlyTheLimitAcrossThreeInstances() throws Exception {
            admitsExactlyTheLimitAcrossInstancesWithDistinctRemainingValues();
        }
    }

    @Nested
    class Cluster {
        @RegisterExtension
        static final RedisExtension REDIS = RedisExtension.cluster();

        @BeforeEach
        void start() {
            startInstances(REDIS.topology());
        }

        @Test
        void admitsExactlyTheLimitAcrossThreeInstances() throws Exception {
            admitsExactlyTheLimitAcrossInstancesWithDistinctRemainingValues();
        }

        @Test
        void keysOfOneAccountShareOneSlotAndEveryLimitHolds() {
            // C18 steps 1 and 2
            RedisGateway gateway = instances.get(0);
            List<Admission> other = gateway.admit("free-x", OTHER, 35);
            List<Admission> discovery = gateway.admit("free-x", DISCOVERY, 6);

            assertThat(other.subList(0, 30)).allMatch(Admission::isPass);
            assertThat(other.subList(30, 35)).allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.LIMITED));
            assertThat(discovery).allSatisfy(a -> {
                assertThat(a.verdict()).isEqualTo(Verdict.LIMITED);
                assertThat(a.decision().quota().limit().name()).as("the plan is empty").isEqualTo("free");
            });
            List<Admission> fresh = gateway.admit("free-y", DISCOVERY, 6);
            assertThat(fresh.subList(0, 5)).extracting(a -> a.decision().remaining())
                    .containsExactly(4L, 3L, 2L, 1L, 0L);
            assertThat(fresh.get(5).verdict()).isEqualTo(Verdict.LIMITED);
            assertThat(other).extracting(a -> a.decision().outcome())
                    .as("no store errors (CROSSSLOT, MOVED) turned into a failure mode")
                    .containsOnly(Decision.Outcome.ALLOWED, Decision.Outcome.LIMITED);

            RedisCluster cluster = REDIS.redisCluster();
            List<String> keys = new ArrayList<>();
            List<RedisServerProcess> owners = new ArrayList<>();
            for (RedisServerProcess master : cluster.masters()) {
                for (String key : master.keys()) {
                    if (key.contains("{free-x}")) {
                        keys.add(key);
                        owners.add(master);
                    }
                }
            }
            assertThat(keys).containsExactlyInAnyOrder("ventra:{free-x}:plan:free",
                    "ventra:{free-x}:endpoint:discovery");
            assertThat(keys).extracting(SlotHash::getSlot).containsOnly(SlotHash.getSlot("{free-x}"));
            assertThat(owners).containsOnly(cluster.masterForKey("{free-x}"));
        }
    }
}
