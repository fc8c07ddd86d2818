package dev.weir.internal.runtime;

import dev.weir.internal.task.StreamTask;
import dev.weir.internal.task.TaskMetrics;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The order in which a set of tasks commits (design record 001), shared by the stream thread and
 * the test driver so that both commit the same way: every task flushes what belongs in the
 * transaction (TTL deletes, changelog records), the consumed offsets go into the transaction, the
 * transaction commits, every task applies its committed state, then two-phase-commit sinks commit
 * their external transactions (design record 011). Public only for the test driver in {@code
 * dev.weir.internal.driver}.
 *
 * <p>Not thread-safe: called by the thread that owns the tasks.
 */
public final class CommitOrder {
  /** Where the work of one commit goes: a Kafka transaction, a flush and an offset commit, ... */
  public interface Transaction {
    /**
     * Returns whether records were written since the last commit, so that a commit is due even when
     * no input offset moved.
     *
     * @return true when records were written since the last commit
     */
    boolean hasUncommittedWrites();

    /**
     * Returns whether a commit without offsets must carry one unchanged offset (exactly-once: only
     * offsets make the group coordinator check the member's generation, KIP-447, and so fence a
     * zombie that lost its tasks).
     *
     * @return true under exactly-once
     */
    boolean needsFencingOffset();

    /**
     * Commits the written records with {@code offsets}; throws on any failure, whose handling is
     * the caller's (see {@link CommitFailurePolicy}).
     *
     * @param offsets the input offsets to commit, possibly empty; not null
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets);
  }

  private CommitOrder() {}

  /**
   * Commits {@code tasks} through {@code transaction}.
   *
   * @param tasks the tasks to commit, in commit order; not null
   * @param transaction where the work goes; not null
   * @param metrics counts {@code commits} and {@code commit-time-ns-total}; not null
   * @param nanos the clock of the commit time
   * @return the committed offsets, or null when there was nothing to commit
   * @throws RuntimeException whatever the transaction or a task threw; the tasks then hold work
   *     that is not committed and must be rolled back
   */
  public static Map<TopicPartition, OffsetAndMetadata> commit(
      Collection<StreamTask> tasks,
      Transaction transaction,
      TaskMetrics metrics,
      LongSupplier nanos) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (StreamTask t : tasks) {
      t.prepareCommit();
      offsets.putAll(t.offsetsToCommit());
    }
    if (offsets.isEmpty() && !transaction.hasUncommittedWrites()) {
      return null;
    }
    long start = nanos.getAsLong();
    if (offsets.isEmpty() && transaction.needsFencingOffset()) {
      addFencingOffset(tasks, offsets);
    }
    transaction.commit(offsets);
    for (StreamTask t : tasks) {
      t.postCommit();
    }
    metrics.commits.increment();
    // External commits (two-phase-commit sinks) come after every task applied its committed state,
    // so one that fails leaves no task half-committed; its handle is in committed state and the
    // rollback that follows rebuilds the task, which commits it again on restore (record 011).
    RuntimeException external = null;
    for (StreamTask t : tasks) {
      try {
        t.afterCommit();
      } catch (RuntimeException e) {
        if (external == null) {
          external = e;
        } else {
          external.addSuppressed(e);
        }
      }
    }
    metrics.commitTimeNanos.add(nanos.getAsLong() - start);
    if (external != null) {
      throw external;
    }
    return offsets;
  }

  /**
   * Adds to a transaction without offsets one input offset committed again unchanged: the group
   * coordinator checks the generation of the member that sends offsets (KIP-447), so a zombie that
   * lost its tasks in a rebalance cannot commit timer output, watermark markers or changelog
   * records (TTL deletes) into partitions their new owner writes.
   */
  private static void addFencingOffset(
      Collection<StreamTask> tasks, Map<TopicPartition, OffsetAndMetadata> offsets) {
    for (StreamTask t : tasks) {
      Map.Entry<TopicPartition, OffsetAndMetadata> unchanged = t.unchangedOffset();
      if (unchanged != null) {
        offsets.put(unchanged.getKey(), unchanged.getValue());
        return;
      }
    }
  }
}
