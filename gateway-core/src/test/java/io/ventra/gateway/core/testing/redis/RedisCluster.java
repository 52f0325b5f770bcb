package io.ventra.gateway.core.testing.redis;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Runs a three-master Redis Cluster on loopback, optionally with one replica per master for failover tests.
 *
 * <p>Masters own slots 0-5460, 5461-10922 and 10923-16383. Roles are always read from the live cluster, so
 * {@link #masters()} and {@link #masterForKey(String)} stay correct after {@link #failMaster(RedisServerProcess)}.
 */
public final class RedisCluster implements RedisTopology {

    /** Number of masters (slot owners). */
    public static final int MASTERS = 3;

    private static final int[][] SLOT_RANGES = {{0, 5460}, {5461, 10922}, {10923, 16383}};
    private static final List<String> NODE_CONFIG = List.of("cluster-enabled yes", "cluster-config-file nodes.conf",
            "cluster-node-timeout 1000", "cluster-replica-validity-factor 0",
            "cluster-announce-ip " + RedisServerProcess.HOST);
    private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration AUTOMATIC_FAILOVER_WAIT = Duration.ofSeconds(6);

    private final List<RedisServerProcess> nodes;
    private final Map<RedisServerProcess, String> nodeIds = new LinkedHashMap<>();

    private RedisCluster(List<RedisServerProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Starts three masters without replicas and waits until {@code cluster_state:ok}. */
    public static RedisCluster start() {
        return start(false);
    }

    /** Starts three masters, each with one attached replica, and waits until the cluster is healthy. */
    public static RedisCluster startWithReplicas() {
        return start(true);
    }

    private static RedisCluster start(boolean withReplicas) {
        List<RedisServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < (withReplicas ? 2 : 1) * MASTERS; i++) {
                started.add(RedisServerProcess.start(RedisServerProcess.Mode.CLUSTER_NODE, NODE_CONFIG));
            }
            RedisCluster cluster = new RedisCluster(started);
            cluster.form();
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServerProcess::close);
            throw e;
        }
    }

    /** Returns every node ever started (masters first, then replicas in master order), running or not. */
    public List<RedisServerProcess> nodes() {
        return nodes;
    }

    /** Returns the running masters that own slots, as the cluster currently sees them. */
    public List<RedisServerProcess> masters() {
        return view().stream().filter(RedisCluster::isLiveMaster).map(this::process).toList();
    }

    /** Returns the running replica of the given master, if it has one. */
    public Optional<RedisServerProcess> replicaOf(RedisServerProcess master) {
        String masterId = nodeId(master);
        return view().stream()
                .filter(node -> masterId.equals(node.getSlaveOf()) && isUp(node))
                .map(this::process)
                .findFirst();
    }

    /** Returns the master currently owning the slot of {@code key} ({@link SlotHash#getSlot(String)}). */
    public RedisServerProcess masterForKey(String key) {
        int slot = SlotHash.getSlot(key);
        return view().stream()
                .filter(node -> isLiveMaster(node) && node.hasSlot(slot))
                .map(this::process)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No live master owns slot " + slot));
    }

    /** Returns the cluster node id of a node (stable across failover). */
    public String nodeId(RedisServerProcess node) {
        return nodeIds.get(node);
    }

    /** Returns the URIs of all running nodes, for {@code RedisClusterClient.create(Iterable)}. */
    public List<RedisURI> seedUris() {
        return running().map(RedisServerProcess::redisUri).toList();
    }

    @Override
    public RedisURI clientUri() {
        return seedUris().get(0);
    }

    @Override
    public void flushAll() {
        masters().forEach(RedisServerProcess::flushAll);
    }

    /**
     * Kills {@code master} and waits until its replica has taken over and every running node reports
     * {@code cluster_state:ok}. Falls back to {@code CLUSTER FAILOVER TAKEOVER} if automatic failover is slow.
     *
     * @return the promoted replica
     */
    public RedisServerProcess failMaster(RedisServerProcess master) {
        RedisServerProcess replica = replicaOf(master)
                .orElseThrow(() -> new IllegalArgumentException(master + " is not a master with a running replica"));
        master.stop();
        try {
            await().atMost(AUTOMATIC_FAILOVER_WAIT).pollInterval(Duration.ofMillis(50)).until(() -> isMaster(replica));
        } catch (ConditionTimeoutException e) {
            replica.commands().clusterFailover(false, true);
        }
        awaitCluster("promotion of " + replica, () -> isMaster(replica) && healthy());
        return replica;
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }

    @Override
    public String toString() {
        return "RedisCluster" + nodes;
    }

    private void form() {
        for (int i = 0; i < nodes.size(); i++) {
            RedisServerProcess node = nodes.get(i);
            nodeIds.put(node, node.commands().clusterMyId());
            node.commands().clusterSetConfigEpoch(i + 1);
        }
        RedisServerProcess seed = nodes.get(0);
        nodes.stream().skip(1).forEach(node -> seed.commands().clusterMeet(node.host(), node.port()));
        for (int i = 0; i < MASTERS; i++) {
            int[] slots = IntStream.rangeClosed(SLOT_RANGES[i][0], SLOT_RANGES[i][1]).toArray();
            nodes.get(i).commands().clusterAddSlots(slots);
        }
        awaitCluster("all nodes to meet", this::allNodesKnown);
        for (int i = MASTERS; i < nodes.size(); i++) {
            nodes.get(i).commands().clusterReplicate(nodeId(nodes.get(i - MASTERS)));
        }
        awaitCluster("cluster_state:ok with replicas attached", this::healthy);
    }

    private boolean allNodesKnown() {
        return nodes.stream().allMatch(observer -> {
            Partitions view = view(observer);
            return view.size() == nodes.size() && view.stream().noneMatch(node -> node.is(NodeFlag.HANDSHAKE));
        });
    }

    private boolean healthy() {
        long runningReplicas = running().count() - MASTERS;
        return running().allMatch(observer -> observer.commands().clusterInfo().contains("cluster_state:ok")
                && countLive(view(observer), true) == MASTERS
                && countLive(view(observer), false) == runningReplicas)
                && running().filter(node -> !isMaster(node)).allMatch(RedisCluster::replicationLinkUp);
    }

    private static long countLive(Partitions view, boolean masters) {
        return view.stream().filter(node -> masters ? isLiveMaster(node) : isUp(node) && node.getRole().isReplica())
                .count();
    }

    private static boolean isLiveMaster(RedisClusterNode node) {
        return node.getRole().isUpstream() && isUp(node) && !node.hasNoSlots();
    }

    private static boolean isUp(RedisClusterNode node) {
        return !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.EVENTUAL_FAIL) && !node.is(NodeFlag.HANDSHAKE);
    }

    private static boolean isMaster(RedisServerProcess node) {
        return RedisServerProcess.infoField(node.info("replication"), "role").orElse("").equals("master");
    }

    private static boolean replicationLinkUp(RedisServerProcess replica) {
        return RedisServerProcess.infoField(replica.info("replication"), "master_link_status").orElse("")
                .equals("up");
    }

    private Partitions view() {
        return view(running().findFirst().orElseThrow(() -> new IllegalStateException("No cluster node running")));
    }

    private static Partitions view(RedisServerProcess observer) {
        return ClusterPartitionParser.parse(observer.commands().clusterNodes());
    }

    private RedisServerProcess process(RedisClusterNode node) {
        return nodes.stream().filter(process -> process.port() == node.getUri().getPort()).findFirst()
                .orElseThrow(() -> new IllegalStateException("Unknown cluster node " + node.getUri()));
    }

    private Stream<RedisServerProcess> running() {
        return nodes.stream().filter(RedisServerProcess::isRunning);
    }

    private void awaitCluster(String what, Callable<Boolean> condition) {
        try {
            await(what).atMost(CONVERGE_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Cluster did not converge (" + what + "). CLUSTER NODES per node:\n"
                    + running().map(node -> node + ":\n" + node.commands().clusterNodes())
                            .collect(Collectors.joining("\n")), e);
        }
    }
}
