package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group leader's step between the balanced assignment of active tasks and the one it sends:
 * collects the members' task offset sums, looks up the changelogs' end offsets, computes the lags
 * ({@link TaskLags}) and places actives, standbys and warm-ups ({@link ReplicaPlacement});
 * schedules a probing rebalance while the result is not balanced. Runs on the leader's stream
 * thread.
 */
final class ReplicaAssignment {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaAssignment.class);

  private ReplicaAssignment() {}

  /**
   * Places the replicas.
   *
   * @return the placement, or null when the context has no placement settings or some member sent a
   *     subscription older than version 3 (the balanced assignment then stands, without replicas)
   */
  static ReplicaPlacement.Result place(
      AssignorContext context,
      Cluster metadata,
      List<TaskId> tasks,
      List<TaskAssignor.MemberInfo> members,
      Map<String, List<TaskId>> balanced) {
    ReplicaPlacement.Settings settings = context.placement;
    if (settings == null || context.plan == null || members.isEmpty()) {
      return null;
    }
    for (TaskAssignor.MemberInfo m : members) {
      if (m.version() < TaskAssignor.SUBSCRIPTION_V3) {
        return null; // an older member neither reports lags nor reads standbys
      }
    }
    Set<TaskId> stateful = new TreeSet<>();
    Set<TopicPartition> changelogs = new HashSet<>();
    Map<TaskId, List<TopicPartition>> changelogsOf = new HashMap<>();
    for (TaskId t : tasks) {
      List<String> stores = context.plan.stores(context.plan.subTopology(t.subTopology()));
      if (stores.isEmpty()) {
        continue;
      }
      stateful.add(t);
      List<TopicPartition> own = new ArrayList<>();
      for (String store : stores) {
        String topic = context.plan.changelogTopic(store);
        Integer partitions = metadata.partitionCountForTopic(topic);
        if (partitions == null || t.partition() < partitions) {
          own.add(new TopicPartition(topic, t.partition()));
        }
      }
      changelogsOf.put(t, own);
      changelogs.addAll(own);
    }
    Map<TaskId, Long> endSums = new HashMap<>();
    if (!changelogs.isEmpty()) {
      try {
        Map<TopicPartition, Long> ends = context.endOffsets.apply(changelogs);
        changelogsOf.forEach(
            (t, tps) -> {
              long sum = 0;
              for (TopicPartition tp : tps) {
                Long end = ends.get(tp);
                if (end == null) {
                  return; // unknown: the task's lags stay unknown
                }
                sum += end;
              }
              endSums.put(t, sum);
            });
      } catch (RuntimeException e) {
        // Without end offsets every copy but a running active counts as unknown: tasks stay with
        // their owners, and the probing rebalance tries again.
        LOG.warn("Looking up changelog end offsets for the assignment failed; lags unknown", e);
      }
    }
    List<ReplicaPlacement.Member> placementMembers = new ArrayList<>();
    Map<String, Map<TaskId, Long>> reports = new HashMap<>();
    Map<TaskId, String> previousActive = new HashMap<>();
    Map<String, Set<TaskId>> previousStandbys = new HashMap<>();
    Set<String> instances = new TreeSet<>();
    for (TaskAssignor.MemberInfo m : members) {
      placementMembers.add(new ReplicaPlacement.Member(m.memberId(), m.instanceId()));
      TaskLags.merge(reports, m.instanceId(), m.offsetSums());
      instances.add(m.instanceId());
      previousStandbys.put(m.memberId(), m.standbys());
      m.offsetSums()
          .forEach(
              (t, sum) -> {
                if (sum == TaskLags.RUNNING_ACTIVE) {
                  previousActive.put(t, m.memberId());
                }
              });
      for (TaskId t : m.owned()) {
        previousActive.putIfAbsent(t, m.memberId());
      }
    }
    Map<String, Map<TaskId, Long>> lags = TaskLags.compute(reports, endSums, instances, stateful);
    ReplicaPlacement.Result result =
        ReplicaPlacement.place(
            placementMembers, balanced, stateful, previousActive, previousStandbys, lags, settings);
    if (result.balanced()) {
      context.probingRebalanceAtMs = 0;
    } else {
      context.probingRebalanceAtMs = context.clockMs.getAsLong() + context.probingIntervalMs;
      LOG.info(
          "Assignment waits for warm-up replicas {}; probing rebalance in {} ms",
          result.warmups(),
          context.probingIntervalMs);
    }
    return result;
  }
}
