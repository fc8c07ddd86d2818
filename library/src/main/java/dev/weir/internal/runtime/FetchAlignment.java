package dev.weir.internal.runtime;

import dev.weir.internal.task.StreamTask;
import dev.weir.internal.task.TaskWatermarks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * Event-time-aware fetching (watermark alignment) for one stream thread: keeps the source
 * partitions of its running tasks close together in event time by pausing, in the consumer, those
 * more than {@code watermark.alignment.max.drift.ms} ahead of the slowest one that can still catch
 * up, and resuming them once it has.
 *
 * <p>Why: a task's watermark, and across a repartition topic a downstream task's, is the minimum
 * over its inputs. In a replay the consumer fetches partitions in whatever order and amounts the
 * broker returns, so source partitions drift minutes of event time apart; every window the fast
 * ones open then waits for the slow ones, across many commits, and costs state and changelog writes
 * meanwhile. Fetching the partitions that are behind first keeps windows short-lived.
 *
 * <p>A partition's event time is the largest timestamp read from it (known per record; the
 * watermark moves only at the generator's periodic emission). Only sources whose strategy generates
 * watermarks take part. A partition <em>holds others back</em> only while fetching it can move it
 * on: it is not idle (its strategy's idleness), not caught up (the consumer's lag is not known to
 * be zero) and not paused for another reason (a full async operator). So an idle or caught-up
 * partition, or one whose task is restoring (not running, so not here at all), never holds anyone
 * back, and the slowest holder itself is never paused: whatever is paused resumes once the holders
 * pass it or stop holding. A partition with no record yet and a backlog holds the others at the
 * start, which is the point in a replay.
 *
 * <p>Partitions are aligned only with those whose event time meets theirs downstream, in
 * <em>groups</em>: every source partition of a sub-topology that writes to a repartition topic
 * (each downstream task takes the minimum over all its upstream tasks), otherwise the source
 * partitions of one task (its watermark is the minimum over them). A task that reads one source
 * partition and writes no repartition topic is a group of one and never paused: aligning it with
 * other tasks would gain nothing and would cut its runs of event time into shorter pieces per
 * commit. Only the partitions of this thread are aligned: threads and instances do not coordinate
 * (docs/event-time.md says why that is acceptable). Thread-confined to the stream thread.
 */
final class FetchAlignment {
  private final long maxDriftMs;
  private final InputPauses pauses;
  private final Predicate<TopicPartition> caughtUp;
  private final ToLongFunction<StreamTask> groupOf;

  // Reused between calls: one entry per source partition of the running tasks.
  private final List<TopicPartition> partitions = new ArrayList<>();
  private long[] eventTimes = new long[16];
  private boolean[] holds = new boolean[16];
  private long[] groups = new long[16];
  private final Set<TopicPartition> ahead = new HashSet<>();
  private final List<TopicPartition> toPause = new ArrayList<>();

  /**
   * Creates the alignment of one thread.
   *
   * @param maxDriftMs how far ahead of the slowest holder a partition may read; 0 or less: off
   * @param pauses the thread's pause state of running inputs; not null
   * @param caughtUp whether the consumer has read a partition to its end (lag known and zero)
   * @param groupOf the alignment group of a task's source partitions; tasks passed to {@link
   *     #align} in an order that keeps each group's tasks together
   */
  FetchAlignment(
      long maxDriftMs,
      InputPauses pauses,
      Predicate<TopicPartition> caughtUp,
      ToLongFunction<StreamTask> groupOf) {
    this.maxDriftMs = maxDriftMs;
    this.pauses = pauses;
    this.caughtUp = caughtUp;
    this.groupOf = groupOf;
  }

  /** Whether alignment is on. */
  boolean enabled() {
    return maxDriftMs > 0;
  }

  /**
   * Pauses the source partitions of {@code running} that are too far ahead and resumes those that
   * no longer are. Cheap (one pass over the source partitions, no broker call): the thread runs it
   * after every poll that returned records and at every event-time tick.
   *
   * @param running the thread's running tasks, each group's tasks together (task order does); not
   *     null
   */
  void align(Collection<StreamTask> running) {
    if (maxDriftMs <= 0) {
      return;
    }
    partitions.clear();
    for (StreamTask t : running) {
      int partition = t.id().partition();
      long group = groupOf.applyAsLong(t);
      TaskWatermarks w = t.context().watermarks();
      w.sourceProgress((topic, eventTime, idle) -> add(group, topic, partition, eventTime, idle));
    }
    ahead.clear();
    toPause.clear();
    int n = partitions.size();
    // Each group is one run of entries; a group split into several runs would only align less.
    for (int start = 0, end; start < n; start = end) {
      long floor = Long.MAX_VALUE;
      boolean anyHolder = false;
      for (end = start; end < n && groups[end] == groups[start]; end++) {
        if (holds[end]) {
          anyHolder = true;
          floor = Math.min(floor, eventTimes[end]);
        }
      }
      long limit =
          !anyHolder || floor > Long.MAX_VALUE - maxDriftMs ? Long.MAX_VALUE : floor + maxDriftMs;
      for (int i = start; i < end; i++) {
        if (eventTimes[i] > limit) {
          TopicPartition tp = partitions.get(i);
          ahead.add(tp);
          if (!pauses.isPaused(tp, InputPauses.Reason.ALIGNMENT)) {
            toPause.add(tp);
          }
        }
      }
    }
    if (pauses.alignmentPaused() > ahead.size() - toPause.size()) {
      // Some partition paused for alignment is no longer ahead (or no longer read here).
      List<TopicPartition> resume = pauses.pausedFor(InputPauses.Reason.ALIGNMENT);
      resume.removeAll(ahead);
      pauses.resume(resume, InputPauses.Reason.ALIGNMENT);
    }
    if (!toPause.isEmpty()) {
      pauses.pause(toPause, InputPauses.Reason.ALIGNMENT);
    }
  }

  private void add(long group, String topic, int partition, long eventTime, boolean idle) {
    int i = partitions.size();
    if (i == eventTimes.length) {
      eventTimes = java.util.Arrays.copyOf(eventTimes, 2 * i);
      holds = java.util.Arrays.copyOf(holds, 2 * i);
      groups = java.util.Arrays.copyOf(groups, 2 * i);
    }
    groups[i] = group;
    TopicPartition tp = new TopicPartition(topic, partition);
    partitions.add(tp);
    eventTimes[i] = eventTime;
    holds[i] =
        !idle && !pauses.isPausedOtherThan(tp, InputPauses.Reason.ALIGNMENT) && !caughtUp.test(tp);
  }
}
