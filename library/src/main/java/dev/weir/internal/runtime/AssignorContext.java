package dev.weir.internal.runtime;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.task.TaskId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

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

  volatile Set<TaskId> ownedTasks = Set.of();
  volatile List<TaskId> assignedTasks = List.of();
  volatile byte errorCode;

  /** This instance's {@code application.server}, sent in every subscription; null when unset. */
  volatile String applicationServer;

  /** Told the leader's host map on every assignment (the instance's query registry). */
  volatile java.util.function.Consumer<HostMetadata.Hosts> hostsListener = h -> {};

  void hosts(HostMetadata.Hosts hosts) {
    hostsListener.accept(hosts);
  }

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
    this(
        plan,
        instanceId,
        threadIndex,
        shutdownRequested,
        plan == null ? "" : TopologyFingerprint.of(plan));
  }

  AssignorContext(
      Plan plan,
      String instanceId,
      int threadIndex,
      AtomicBoolean shutdownRequested,
      String fingerprint) {
    this.plan = plan;
    this.instanceId = instanceId;
    this.threadIndex = threadIndex;
    this.shutdownRequested = shutdownRequested;
    this.fingerprint = fingerprint;
  }
}
