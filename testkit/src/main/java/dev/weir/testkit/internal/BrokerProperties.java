package dev.weir.testkit.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Server properties for a KRaft combined node of a test cluster of one to three nodes.
 *
 * <p>The defaults aim at a cluster that starts fast and behaves like production where it matters to
 * Weir (transactions, read_committed, min.insync.replicas), scaled to the node count: internal
 * topics get a replication factor of {@code min(3, n)} and a minimum ISR of 1 on one node and 2 on
 * three. Internal topics get few partitions because every partition costs time on first use. Caller
 * overrides win over every default.
 */
public final class BrokerProperties {

  /** Name of the client listener. */
  static final String BROKER_LISTENER = "PLAINTEXT";

  /** Name of the quorum listener. */
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  private BrokerProperties() {}

  /**
   * Builds the properties of one node.
   *
   * @param self the node to configure; must be one of {@code all}
   * @param all every node of the cluster, in node id order
   * @param dataDirectory the node's own {@code log.dirs} directory
   * @param overrides properties that replace defaults (or add to them)
   * @return the properties, sorted by key
   */
  public static SortedMap<String, String> forNode(
      NodeAddress self, List<NodeAddress> all, Path dataDirectory, Map<String, String> overrides) {
    if (!all.contains(self)) {
      throw new IllegalArgumentException(self + " is not one of " + all);
    }
    int nodes = all.size();
    String replication = Integer.toString(replicationFactor(nodes));
    String minIsr = Integer.toString(minInSyncReplicas(nodes));
    SortedMap<String, String> p = new TreeMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(self.nodeId()));
    p.put("controller.quorum.voters", quorumVoters(all));
    p.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + self.brokerEndpoint()
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + NodeAddress.HOST
            + ":"
            + self.controllerPort());
    p.put("advertised.listeners", BROKER_LISTENER + "://" + self.brokerEndpoint());
    p.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", BROKER_LISTENER);
    p.put("log.dirs", dataDirectory.toAbsolutePath().toString());

    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", replication);
    p.put("min.insync.replicas", minIsr);
    p.put("offsets.topic.replication.factor", replication);
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", replication);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", replication);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("share.coordinator.state.topic.num.partitions", "5");
    p.put("transaction.max.timeout.ms", "900000");
    p.put("group.initial.rebalance.delay.ms", "0");
    // Keep every record while the cluster lives. Tests write event times far in the past (1970,
    // 2023); with the default 7-day retention the broker deletes those segments at its first
    // retention check, 30 s after start, and a slow test loses its input or output (EventTimeIT
    // and WindowCrashIT did on a loaded machine). A test that wants time retention sets it on its
    // topic.
    p.put("log.retention.ms", "-1");

    // Faster registration and unfencing at start, and faster fencing of a killed node, while
    // staying far above the pauses a small heap with SerialGC has.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "4000");

    // A test node on a small machine needs few threads; fewer threads also start faster.
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("background.threads", "4");
    p.put("num.replica.fetchers", "1");
    p.put("num.recovery.threads.per.data.dir", "1");
    // The cleaner's dedupe buffer is allocated up front (128 MiB by default).
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
    p.putAll(overrides);
    return p;
  }

  /**
   * Replication factor for topics of a cluster.
   *
   * @param nodes node count, at least 1
   * @return {@code min(3, nodes)}
   */
  public static int replicationFactor(int nodes) {
    return Math.min(3, nodes);
  }

  /**
   * Minimum in-sync replicas for a cluster: 1 while there are fewer than 3 nodes, else 2, so that
   * one node of three may fail without blocking acks=all producers.
   *
   * @param nodes node count, at least 1
   * @return 1 or 2
   */
  public static int minInSyncReplicas(int nodes) {
    return nodes >= 3 ? 2 : 1;
  }

  /**
   * The static voter set of a cluster.
   *
   * @param all every node
   * @return the {@code controller.quorum.voters} value
   */
  public static String quorumVoters(List<NodeAddress> all) {
    return all.stream().map(NodeAddress::voter).collect(Collectors.joining(","));
  }

  /**
   * The {@code bootstrap.servers} value naming every node.
   *
   * @param all every node
   * @return comma-separated client endpoints
   */
  public static String bootstrapServers(List<NodeAddress> all) {
    return all.stream().map(NodeAddress::brokerEndpoint).collect(Collectors.joining(","));
  }
}
