package io.ventra.gateway.core.store.redis;

import static io.ventra.gateway.core.store.redis.RedisGateway.OTHER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ventra.gateway.core.Admission;
import io.ventra.gateway.core.Admission.Verdict;
import io.ventra.gateway.core.limit.Decision.Outcome;
import io.ventra.gateway.core.store.StoreHealth;
import io.ventra.gateway.core.store.StoreListener;
import io.ventra.gateway.core.testing.ManualClock;
import io.ventra.gateway.core.testing.redis.RedisCluster;
import io.ventra.gateway.core.testing.redis.RedisExtension;
import io.ventra.gateway.core.testing.redis.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** C18 step 3: the master owning an account's slot fails under load; a replica takes over; no restart. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class RedisClusterFailoverIntegrationTest {
    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.clusterWithReplicas();

    @TempDir
    Path dir;

    @Test
    void followsTheFailureModeDuringFailoverAndLimitsExactlyAfterThePromotion() {
        RedisCluster cluster = REDIS.redisCluster();
        RedisServerProcess master = cluster.masterForKey("{pro-a}");
        String fresh = IntStream.rangeClosed('a', 'z').mapToObj(c -> "free-" + (char) c)
                .filter(key -> cluster.masterForKey("{" + key + "}").equals(master))
                .findFirst().orElseThrow();
        List<Admission> answers = new CopyOnWriteArrayList<>();
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try (RedisGateway gateway = RedisGateway.start(RedisGateway.config(dir, cluster, Duration.ofMillis(200),
                "on-failure: deny"), new ManualClock(), StoreListener.NONE)) {
            // 5 a second: Pro's 120 tokens (the clock stands still) outlast the longest failover waited for
            load.scheduleAtFixedRate(() -> answers.add(gateway.admit("pro-a", OTHER)), 0, 200,
                    TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> answers.size() >= 3);

            cluster.failMaster(master);
            await("limiting by Redis again after the promotion").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> lastAllowed(answers, 3) && gateway.store().health() == StoreHealth.UP);
            load.shutdownNow();

            assertThat(answers).extracting(a -> a.decision().outcome())
                    .containsOnly(Outcome.ALLOWED, Outcome.FAILURE_DENIED)
                    .contains(Outcome.FAILURE_DENIED);
            assertThat(answers).filteredOn(a -> a.decision().outcome() == Outcome.FAILURE_DENIED)
                    .allSatisfy(a -> assertThat(a.verdict()).isEqualTo(Verdict.UNAVAILABLE));
            List<Admission> burst = gateway.admit(fresh, OTHER, 31);
            assertThat(burst.subList(0, 30)).allSatisfy(a -> assertThat(a.decision().outcome())
                    .isEqualTo(Outcome.ALLOWED));
            assertThat(burst.get(30).verdict()).isEqualTo(Verdict.LIMITED);
        } finally {
            load.shutdownNow();
        }
    }

    private static boolean lastAllowed(List<Admission> answers, int count) {
        int size = answers.size();
        return size >= count && answers.subList(size - count, size).stream()
                .allMatch(a -> a.decision().outcome() == Outcome.ALLOWED);
    }
}
