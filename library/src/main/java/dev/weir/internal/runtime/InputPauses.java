package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Why the input partitions of a thread's running tasks are paused in its consumer. The consumer
 * keeps one flag per partition, but two parts of the thread pause running inputs for their own
 * reasons: a full async operator (design record 010) and fetch alignment ({@link FetchAlignment}).
 * Each pauses and resumes through this class only, under its reason, and a partition is resumed in
 * the consumer only when no reason is left, so that neither undoes the other's pause.
 *
 * <p>Restoring tasks are not covered: their inputs are paused and resumed by the {@link
 * RestoreCoordinator}, and no running task shares a partition with them. When a running task
 * closes, {@link #release} drops every reason of its inputs and resumes those still assigned, so
 * that whatever reads them next (a restore, which pauses them again, or a new running task) starts
 * from an unpaused partition and an empty record here. Thread-confined to the stream thread.
 */
final class InputPauses {
  /** Why a running input is paused. */
  enum Reason {
    /** An async operator of its task is full: records would only be buffered. */
    ASYNC_FULL,
    /** It is ahead in event time of the slowest source partition the thread reads. */
    ALIGNMENT
  }

  private final Map<TopicPartition, EnumSet<Reason>> paused = new HashMap<>();
  private final TaskMetrics metrics;
  private Consumer<byte[], byte[]> consumer;
  private int alignmentPaused;

  /**
   * Creates the pause state of one thread.
   *
   * @param metrics where the number of partitions paused for alignment is published; not null
   */
  InputPauses(TaskMetrics metrics) {
    this.metrics = metrics;
  }

  /** Binds the consumer, once it exists. */
  void bind(Consumer<byte[], byte[]> groupConsumer) {
    this.consumer = groupConsumer;
  }

  /**
   * Pauses {@code partitions} for {@code reason}; the consumer is asked only for those that were
   * not paused for any reason yet.
   *
   * @param partitions assigned input partitions of running tasks; not null
   * @param reason why; not null
   */
  void pause(Collection<TopicPartition> partitions, Reason reason) {
    List<TopicPartition> newly = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      EnumSet<Reason> reasons = paused.computeIfAbsent(tp, k -> EnumSet.noneOf(Reason.class));
      if (reasons.isEmpty()) {
        newly.add(tp);
      }
      if (reasons.add(reason) && reason == Reason.ALIGNMENT) {
        alignmentPaused++;
      }
    }
    published();
    if (!newly.isEmpty()) {
      consumer.pause(newly);
    }
  }

  /**
   * Drops {@code reason} from {@code partitions}; the consumer resumes those with no reason left.
   *
   * @param partitions input partitions; those not paused for {@code reason} are left alone
   * @param reason the reason that no longer holds; not null
   */
  void resume(Collection<TopicPartition> partitions, Reason reason) {
    List<TopicPartition> free = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      EnumSet<Reason> reasons = paused.get(tp);
      if (reasons == null || !reasons.remove(reason)) {
        continue;
      }
      if (reason == Reason.ALIGNMENT) {
        alignmentPaused--;
      }
      if (reasons.isEmpty()) {
        paused.remove(tp);
        free.add(tp);
      }
    }
    published();
    if (!free.isEmpty()) {
      consumer.resume(free);
    }
  }

  /**
   * Forgets every reason of {@code partitions}, whose task closed, and resumes those of them the
   * consumer still has assigned (a revoked partition is gone from the consumer or about to be).
   *
   * @param partitions the closed task's inputs; not null
   */
  void release(Collection<TopicPartition> partitions) {
    List<TopicPartition> held = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      EnumSet<Reason> reasons = paused.remove(tp);
      if (reasons != null) {
        if (reasons.contains(Reason.ALIGNMENT)) {
          alignmentPaused--;
        }
        held.add(tp);
      }
    }
    published();
    if (held.isEmpty()) {
      return;
    }
    Set<TopicPartition> assigned = consumer.assignment();
    held.removeIf(tp -> !assigned.contains(tp));
    if (!held.isEmpty()) {
      consumer.resume(held);
    }
  }

  /** Whether {@code partition} is paused for {@code reason}. */
  boolean isPaused(TopicPartition partition, Reason reason) {
    EnumSet<Reason> reasons = paused.get(partition);
    return reasons != null && reasons.contains(reason);
  }

  /** Whether {@code partition} is paused for a reason other than {@code reason}. */
  boolean isPausedOtherThan(TopicPartition partition, Reason reason) {
    EnumSet<Reason> reasons = paused.get(partition);
    if (reasons == null) {
      return false;
    }
    return reasons.size() > (reasons.contains(reason) ? 1 : 0);
  }

  /** The partitions paused for {@code reason}, in no particular order; a new list. */
  List<TopicPartition> pausedFor(Reason reason) {
    List<TopicPartition> out = new ArrayList<>();
    paused.forEach(
        (tp, reasons) -> {
          if (reasons.contains(reason)) {
            out.add(tp);
          }
        });
    return out;
  }

  private void published() {
    metrics.alignmentPausedPartitions.set(alignmentPaused);
  }

  /** How many partitions are paused for alignment now. */
  int alignmentPaused() {
    return alignmentPaused;
  }
}
