package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskMetrics;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The names of an instance's counters (docs/operations.md), in one place so that the application
 * and the test driver report the same names with the same meaning. Public only for the test driver
 * in {@code dev.weir.internal.driver}.
 */
public final class RuntimeMetrics {
  private RuntimeMetrics() {}

  /**
   * Sums the counters of {@code threads} and adds the instance-wide gauges.
   *
   * @param threads the counters of every stream thread (replaced threads included); not null
   * @param restoreRemaining changelog records still to restore, at most
   * @param wipedStale task states wiped as too old to restore from
   * @param dirsCleaned task directories deleted by the state directory cleaner
   * @param tasks tasks running or restoring now
   * @param peersRemoved peer instances this instance removed from the group (liveness)
   * @return a new map in documentation order; not null
   */
  public static Map<String, Long> snapshot(
      Collection<TaskMetrics> threads,
      long restoreRemaining,
      long wipedStale,
      long dirsCleaned,
      long tasks,
      long peersRemoved) {
    Map<String, Long> m = new LinkedHashMap<>();
    // records-in counts every record a task reads, a repartition topic's included: a record that
    // crosses N repartition topics counts N + 1 times, and watermark markers read from a
    // repartition topic count too (docs/operations.md says so).
    put(m, threads, "records-in", x -> x.recordsIn.sum());
    put(m, threads, "records-out", x -> x.recordsOut.sum());
    put(m, threads, "deserialization-errors", x -> x.deserializationErrors.sum());
    put(m, threads, "processing-errors", x -> x.processingErrors.sum());
    put(m, threads, "records-skipped", x -> x.skippedRecords.sum());
    put(m, threads, "records-dead-lettered", x -> x.deadLettered.sum());
    put(m, threads, "commits", x -> x.commits.sum());
    put(m, threads, "commit-time-ns-total", x -> x.commitTimeNanos.sum());
    put(m, threads, "rollbacks", x -> x.aborts.sum());
    put(m, threads, "late-records-dropped", x -> x.lateRecordsDropped.sum());
    put(m, threads, "commits-forced", x -> x.forcedCommits.sum());
    put(m, threads, "state-restored-records", x -> x.restoredRecords.sum());
    put(m, threads, "state-restore-time-ns-total", x -> x.restoreTimeNanos.sum());
    put(m, threads, "state-changelog-records-sent", x -> x.changelogRecordsSent.sum());
    put(m, threads, "standby-tasks", x -> x.standbyTasks.get());
    put(m, threads, "warmup-tasks", x -> x.warmupTasks.get());
    put(m, threads, "alignment-paused-partitions", x -> x.alignmentPausedPartitions.get());
    put(m, threads, "standby-records-applied", x -> x.standbyRecords.sum());
    put(m, threads, "offset-resets", x -> x.offsetResets.sum());
    put(m, threads, "production-errors-skipped", x -> x.productionErrorsSkipped.sum());
    put(m, threads, "production-errors-dead-lettered", x -> x.productionErrorsDeadLettered.sum());
    put(m, threads, "async-requests", x -> x.asyncRequests.sum());
    put(m, threads, "async-in-flight", x -> x.asyncInFlight.sum());
    put(m, threads, "async-timeouts", x -> x.asyncTimeouts.sum());
    put(m, threads, "async-retries", x -> x.asyncRetries.sum());
    put(m, threads, "tasks-created", x -> x.tasksCreated.sum());
    put(m, threads, "tasks-closed", x -> x.tasksClosed.sum());
    put(m, threads, "tasks-revoked", x -> x.tasksRevoked.sum());
    put(m, threads, "fenced-departed-producers", x -> x.fencedDepartedProducers.sum());
    m.put("state-restore-remaining-records", restoreRemaining);
    m.put("state-wiped-stale", wipedStale);
    m.put("state-dirs-cleaned", dirsCleaned);
    m.put("tasks", tasks);
    m.put("peers-removed", peersRemoved);
    return m;
  }

  private static void put(
      Map<String, Long> m,
      Collection<TaskMetrics> threads,
      String name,
      ToLongFunction<TaskMetrics> counter) {
    m.put(name, threads.stream().mapToLong(counter).sum());
  }
}
