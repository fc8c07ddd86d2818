package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far each instance's copy of each task's state is behind its changelogs, in records, from what
 * the members report: per task the sum of the changelog offsets its local state reached (over the
 * task's changelog partitions), or {@link #RUNNING_ACTIVE} for a task the member runs. The lag is
 * the sum of the changelogs' end offsets minus that sum. Stateless; thread-safe.
 */
final class TaskLags {
  /** Reported for a task the member runs as active: its lag is 0 whatever the offsets. */
  static final long RUNNING_ACTIVE = -2;

  private TaskLags() {}

  /**
   * Adds one member's report to its instance's: the members (threads) of an instance share its
   * state directory, so the instance has the most recent copy any of them reports.
   *
   * @param byInstance instance id to task to offset sum, updated
   * @param instanceId the member's instance
   * @param offsetSums the member's report
   */
  static void merge(
      Map<String, Map<TaskId, Long>> byInstance, String instanceId, Map<TaskId, Long> offsetSums) {
    Map<TaskId, Long> sums = byInstance.computeIfAbsent(instanceId, i -> new HashMap<>());
    offsetSums.forEach(
        (t, sum) ->
            sums.merge(
                t,
                sum,
                (a, b) ->
                    a == RUNNING_ACTIVE || b == RUNNING_ACTIVE ? RUNNING_ACTIVE : Math.max(a, b)));
  }

  /**
   * Computes the lags.
   *
   * @param byInstance instance id to task to offset sum (see {@link #merge})
   * @param endSums task to the sum of its changelogs' end offsets; a task missing here (its end
   *     offsets are unknown) has lag {@link ReplicaPlacement#UNKNOWN_LAG} except where it runs
   * @param instances every instance of the group, reported or not
   * @param stateful the tasks with state: an instance without a copy of one has to restore it all,
   *     so its lag is the task's end offset sum
   * @return instance id to task to lag, never negative
   */
  static Map<String, Map<TaskId, Long>> compute(
      Map<String, Map<TaskId, Long>> byInstance,
      Map<TaskId, Long> endSums,
      Collection<String> instances,
      Collection<TaskId> stateful) {
    Map<String, Map<TaskId, Long>> out = new TreeMap<>();
    for (String instance : instances) {
      Map<TaskId, Long> sums = byInstance.getOrDefault(instance, Map.of());
      Map<TaskId, Long> lags = new TreeMap<>();
      for (TaskId t : stateful) {
        Long sum = sums.get(t);
        Long end = endSums.get(t);
        if (sum != null && sum == RUNNING_ACTIVE) {
          lags.put(t, 0L);
        } else if (end == null) {
          lags.put(t, ReplicaPlacement.UNKNOWN_LAG);
        } else {
          lags.put(t, Math.max(0L, end - (sum == null ? 0L : Math.max(0L, sum))));
        }
      }
      out.put(instance, lags);
    }
    return out;
  }
}
