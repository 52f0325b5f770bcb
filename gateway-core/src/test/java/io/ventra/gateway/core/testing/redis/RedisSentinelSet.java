package io.ventra.gateway.core.testing.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs one Redis master, one replica and one Sentinel (quorum 1) monitoring them under {@value #MASTER_NAME}.
 */
public final class RedisSentinelSet implements RedisTopology {

    /** Name under which the sentinel monitors the master. */
    public static final String MASTER_NAME = "mymaster";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

    private final RedisServerProcess master;
    private final RedisServerProcess replica;
    private final RedisServerProcess sentinel;

    private RedisSentinelSet(List<RedisServerProcess> processes) {
        this.master = processes.get(0);
        this.replica = processes.get(1);
        this.sentinel = processes.get(2);
    }

    /** Starts master, replica and sentinel, and waits until the sentinel sees a healthy master with a replica. */
    public static RedisSentinelSet start() {
        List<RedisServerProcess> started = new ArrayList<>();
        try {
            RedisServerProcess master = RedisServerProcess.start();
            started.add(master);
            started.add(RedisServerProcess.start(List.of("replicaof " + master.host() + " " + master.port())));
            started.add(RedisServerProcess.start(RedisServerProcess.Mode.SENTINEL, sentinelConfig(master)));
            RedisSentinelSet set = new RedisSentinelSet(started);
            set.awaitReady();
            return set;
        } catch (RuntimeException e) {
            started.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    /** Returns the monitored master's name, {@value #MASTER_NAME}. */
    public String masterName() {
        return MASTER_NAME;
    }

    /** Returns the process started as master (a failover may have demoted it since). */
    public RedisServerProcess master() {
        return master;
    }

    /** Returns the process started as replica. */
    public RedisServerProcess replica() {
        return replica;
    }

    /** Returns the sentinel process. */
    public RedisServerProcess sentinel() {
        return sentinel;
    }

    /** Returns the sentinel's host. */
    public String sentinelHost() {
        return sentinel.host();
    }

    /** Returns the sentinel's port. */
    public int sentinelPort() {
        return sentinel.port();
    }

    /** Returns {@code redis-sentinel://127.0.0.1:PORT#mymaster}. */
    public String sentinelUriString() {
        return "redis-sentinel://" + sentinelHost() + ":" + sentinelPort() + "#" + MASTER_NAME;
    }

    /** Returns a fresh Lettuce URI that resolves the master through the sentinel. */
    public RedisURI sentinelUri() {
        return RedisURI.Builder.sentinel(sentinelHost(), sentinelPort(), MASTER_NAME).build();
    }

    @Override
    public RedisURI clientUri() {
        return sentinelUri();
    }

    @Override
    public void flushAll() {
        master.flushAll();
    }

    @Override
    public void close() {
        List.of(sentinel, replica, master).forEach(RedisServerProcess::close);
    }

    @Override
    public String toString() {
        return "RedisSentinelSet[master=" + master + ", replica=" + replica + ", sentinel=" + sentinel + "]";
    }

    private static List<String> sentinelConfig(RedisServerProcess master) {
        return List.of(
                "sentinel monitor " + MASTER_NAME + " " + master.host() + " " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 5000");
    }

    private void awaitReady() {
        try {
            await("sentinel ready").atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(this::ready);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Sentinel set not ready within " + READY_TIMEOUT.toSeconds() + " s: "
                    + this + ", SENTINEL MASTER: " + sentinelMasterState(), e);
        }
    }

    private boolean ready() {
        Map<String, String> state = sentinelMasterState();
        return "master".equals(state.get("flags"))
                && Integer.toString(master.port()).equals(state.get("port"))
                && Integer.parseInt(state.getOrDefault("num-slaves", "0")) >= 1
                && RedisServerProcess.infoField(replica.info("replication"), "master_link_status").orElse("")
                        .equals("up");
    }

    private Map<String, String> sentinelMasterState() {
        List<?> reply = (List<?>) sentinel.command("SENTINEL", "MASTER", MASTER_NAME);
        Map<String, String> state = new HashMap<>();
        for (int i = 0; i + 1 < reply.size(); i += 2) {
            state.put(String.valueOf(reply.get(i)), String.valueOf(reply.get(i + 1)));
        }
        return state;
    }
}
