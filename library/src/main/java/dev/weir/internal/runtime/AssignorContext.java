package dev.weir.internal.runtime;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.task.TaskId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * What Weir's assignor needs from its thread: the plan (which topics form which tasks), who the
 * member is, the tasks it owned (for stickiness) and where to put the outcome. Passed to the
 * consumer in its configuration map, as an object.
 */
final class AssignorContext {
  static final String CONFIG_KEY = "weir.internal.assignor.context";

  final Plan plan;
  final String instanceId;
  final int threadIndex;
  final AtomicBoolean shutdownRequested;

  /** This member's {@link TopologyFingerprint}, sent in every subscription. */
  final String fingerprint;

  /** The leader's fingerprint, when the leader rejected this member for a different topology. */
  volatile String leaderFingerprint;

  /**
   * Whether the member rebalances cooperatively (keeps its partitions through a rebalance); false
   * under {@code rebalance.protocol=eager}.
   */
  final boolean cooperative;

  /**
   * Set when the member sends its subscription (it joins the group), cleared by the stream thread
   * when the assignment arrives: meanwhile a commit could carry a generation the coordinator has
   * left, so the thread defers it (the revocation's own commit, made with the new generation, is
   * not deferred).
   */
  volatile boolean rebalancing;

  volatile Set<TaskId> ownedTasks = Set.of();
  volatile List<TaskId> assignedTasks = List.of();
  volatile byte errorCode;

  // ---- Standby and warm-up replicas, lag-aware placement (KIP-441) ----

  /** Settings of the lag-aware placement of replicas; null assigns active tasks only. */
  volatile ReplicaPlacement.Settings placement;

  /** {@code probing.rebalance.interval.ms}. */
  volatile long probingIntervalMs;

  /**
   * The end offsets of changelog partitions, for the lags the leader computes (the thread's admin
   * client, read_committed); called on the thread, inside the consumer's poll, when it leads.
   */
  volatile Function<Set<TopicPartition>, Map<TopicPartition, Long>> endOffsets = tps -> Map.of();

  /**
   * Per task the changelog offset sum of this instance's copy, or {@link TaskLags#RUNNING_ACTIVE}
   * for a task the thread runs; sent in every subscription.
   */
  volatile Supplier<Map<TaskId, Long>> offsetSums = Map::of;

  /** The standbys (warm-ups included) this thread holds, sent for stickiness. */
  volatile Supplier<Set<TaskId>> standbysHeld = Set::of;

  /** Standby replicas of this member in the last assignment, warm-ups included. */
  volatile List<TaskId> assignedStandbys = List.of();

  /** The warm-ups among {@link #assignedStandbys}. */
  volatile Set<TaskId> assignedWarmups = Set.of();

  /**
   * When this member, as the leader, should trigger a probing rebalance (wall-clock ms), or 0 when
   * the last assignment it computed was balanced.
   */
  volatile long probingRebalanceAtMs;

  /** Wall-clock time for probing deadlines. */
  volatile LongSupplier clockMs = System::currentTimeMillis;

  /** This instance's {@code application.server}, sent in every subscription; null when unset. */
  volatile String applicationServer;

  /** Told the leader's host map on every assignment (the instance's query registry). */
  volatile java.util.function.Consumer<HostMetadata.Hosts> hostsListener = h -> {};

  void hosts(HostMetadata.Hosts hosts) {
    hostsListener.accept(hosts);
  }

  /** This instance's {@code liveness.listener} endpoint, sent in every subscription; or null. */
  volatile String livenessEndpoint;

  /**
   * The generation of the last assignment this member received, -1 before the first; the generation
   * a join announced to peers leaves (design record 021).
   */
  volatile int generation = -1;

  /** Told the generation the member leaves each time it sends a subscription (it joins). */
  volatile java.util.function.IntConsumer joinListener = g -> {};

  /** Told the leader's list of watchable peers on every assignment that carries one. */
  volatile java.util.function.Consumer<List<PeerLiveness.Peer>> peersListener = p -> {};

  /**
   * Tasks with local state (from an earlier run) that hash to thread {@code index}: the thread
   * claims them in its first subscription.
   */
  static Set<TaskId> localTasks(RuntimeSetup setup, int index) {
    int threads = setup.config().getInt(ConfigKeys.NUM_STREAM_THREADS_CONFIG);
    Set<TaskId> local = new TreeSet<>();
    for (TaskId t : setup.localStateTasks()) {
      if (Math.floorMod(t.hashCode(), threads) == index) {
        local.add(t);
      }
    }
    return Set.copyOf(local);
  }

  AssignorContext(Plan plan, String instanceId, int threadIndex, AtomicBoolean shutdownRequested) {
    this(plan, instanceId, threadIndex, shutdownRequested, true);
  }

  AssignorContext(
      Plan plan,
      String instanceId,
      int threadIndex,
      AtomicBoolean shutdownRequested,
      boolean cooperative) {
    this(
        plan,
        instanceId,
        threadIndex,
        shutdownRequested,
        plan == null ? "" : TopologyFingerprint.of(plan),
        cooperative);
  }

  AssignorContext(
      Plan plan,
      String instanceId,
      int threadIndex,
      AtomicBoolean shutdownRequested,
      String fingerprint) {
    this(plan, instanceId, threadIndex, shutdownRequested, fingerprint, true);
  }

  AssignorContext(
      Plan plan,
      String instanceId,
      int threadIndex,
      AtomicBoolean shutdownRequested,
      String fingerprint,
      boolean cooperative) {
    this.plan = plan;
    this.instanceId = instanceId;
    this.threadIndex = threadIndex;
    this.shutdownRequested = shutdownRequested;
    this.fingerprint = fingerprint;
    this.cooperative = cooperative;
  }
}
