package dev.weir.internal.runtime;

import java.util.List;

/**
 * A point-in-time view of one application instance for the status server: its state, its stream
 * threads and their tasks. Built from values the stream threads publish (at most one watermark
 * interval old), so reading it never blocks or touches a thread's own objects. Public only for
 * {@code dev.weir.internal.status}.
 *
 * @param state the instance's state
 * @param instanceId the instance id, or null before start
 * @param threads the live stream threads, in index order
 */
public record RuntimeStatus(RuntimeState state, String instanceId, List<ThreadStatus> threads) {

  /** Whether every thread runs and no task restores: the readiness condition. */
  public boolean restored() {
    return threads.stream().allMatch(t -> t.tasks().stream().noneMatch(TaskStatus::restoring));
  }

  /**
   * One stream thread.
   *
   * @param name the thread's name
   * @param state its lifecycle state ({@code RUNNING}, {@code PARTITIONS_ASSIGNED}, ...)
   * @param alive whether the thread has not ended
   * @param commits commits so far
   * @param commitTimeNanos time spent in those commits
   * @param tasks its tasks, running and restoring, in task order
   */
  public record ThreadStatus(
      String name,
      String state,
      boolean alive,
      long commits,
      long commitTimeNanos,
      List<TaskStatus> tasks) {}

  /**
   * One task.
   *
   * @param id the task id, {@code <sub-topology>_<partition>}
   * @param restoring whether its state is still being restored
   * @param restoreRemaining changelog records still to restore (0 when running)
   * @param restoreTotal changelog records the restore began with (0 when running)
   * @param watermark the task's watermark; {@code Long.MIN_VALUE} before the first, null when the
   *     task does not track event time or has not published yet
   * @param idle whether every input of the task is idle
   * @param eventTimeLagMs wall-clock time minus watermark, or null without a watermark
   * @param inputs the task's inputs
   */
  public record TaskStatus(
      String id,
      boolean restoring,
      long restoreRemaining,
      long restoreTotal,
      Long watermark,
      boolean idle,
      Long eventTimeLagMs,
      List<InputStatus> inputs) {}

  /**
   * One input of a task: a source partition or one upstream task of a repartition topic.
   *
   * @param name {@code <topic>-<partition>}, with {@code /upstream-<i>} for a repartition input
   * @param watermark the input's watermark ({@code Long.MIN_VALUE} before the first)
   * @param idle whether the input is idle
   * @param recordsLag records between the consumer's position and the partition's end as of the
   *     last fetch ({@code Consumer.currentLag}), or null when not known yet
   */
  public record InputStatus(String name, long watermark, boolean idle, Long recordsLag) {}
}
