package dev.weir.internal.task;

import dev.weir.store.StateBackend;
import dev.weir.store.TaskStateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to restore a task from local state that may have missed deletes (design record 003,
 * docs/design/003-old-local-state.md). Restoring replays the changelog from the local offset X. On
 * a compacted changelog a delete is a tombstone, which the broker keeps only for the topic's {@code
 * delete.retention.ms} (R) after compacting it; a task that comes back to old local state (it moved
 * away and back, or the instance was down) would not see a delete written after X and since
 * removed, and the deleted key would come back. So before the restore, per changelog partition:
 *
 * <ul>
 *   <li>X below the log start offset: records after X were deleted; the state cannot be trusted;
 *   <li>else, with Z the earliest offset whose timestamp is at least {@code now - R + margin}
 *       ({@code offsetsForTimes}), X below Z: the records in [X, Z) are older than R (less the
 *       margin), so tombstones among them may be gone.
 * </ul>
 *
 * Either way the task's local state is deleted and restored from the beginning of its changelogs.
 *
 * <p><b>Why Z bounds the age of what follows it.</b> Offsets are in append order, so every record
 * at or after Z was appended no earlier than Z, whose timestamp (the writer's clock; Weir stamps
 * changelog records with the commit's wall-clock time) is at least the cutoff. The broker removes a
 * tombstone only once it has been in the log for R by its own clock. Two clocks separate that from
 * ours: the writer's and this instance's, each assumed within {@link #MAX_CLOCK_SKEW} of the
 * broker's, hence a margin of twice that.
 *
 * <p><b>The commit marker.</b> Under exactly-once, X is the offset after the last record this
 * instance committed, which is where the broker put that transaction's commit marker. So one offset
 * past X holds nothing: {@code X + 1 == end} means "nothing new", not "one record to restore", and
 * a task whose instance was down longer than R but whose changelog nobody wrote meanwhile keeps its
 * state. When X instead came from a restore (X = the end then) and another owner wrote later, the
 * record at X is the first of that owner's transaction; the one at X + 1 belongs to the same
 * transaction, appended at most {@code transaction.timeout.ms} later, which the margin adds.
 *
 * <p>The retention times are read once at start (with the topic set-up); a topic's {@code
 * delete.retention.ms} changed later applies after a restart. Thread-safe: one guard serves every
 * stream thread of an instance.
 */
public final class StaleStateGuard {
  /**
   * How far a writer's or this instance's clock may be from the broker's. Five minutes is
   * Kerberos's default tolerance, which Kafka deployments using it must already meet; clocks
   * further apart break transaction timeouts and TLS validity too.
   */
  static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(StaleStateGuard.class);

  /** Why a changelog partition's local offset cannot be restored from. */
  enum Reason {
    /** Records after the local offset were deleted (retention or delete-records). */
    BELOW_LOG_START,
    /** Records after the local offset are older than the delete retention, less the margin. */
    OLDER_THAN_DELETE_RETENTION
  }

  /** A changelog partition whose local state is stale: why, and the offset that shows it. */
  record Stale(Reason reason, long localOffset, long boundary) {}

  private final Map<String, Long> deleteRetentionMs;
  private final long marginMs;
  private final boolean exactlyOnce;
  private final LongSupplier clock;
  private final LongAdder wiped = new LongAdder();

  StaleStateGuard(
      Map<String, Long> deleteRetentionMs, long marginMs, boolean exactlyOnce, LongSupplier clock) {
    this.deleteRetentionMs = Map.copyOf(deleteRetentionMs);
    this.marginMs = marginMs;
    this.exactlyOnce = exactlyOnce;
    this.clock = clock;
  }

  /**
   * The guard of an application instance.
   *
   * @param deleteRetentionMs {@code delete.retention.ms} of every changelog topic
   * @param exactlyOnce whether changelogs are written in transactions
   * @param transactionTimeoutMs the producers' {@code transaction.timeout.ms}
   */
  public static StaleStateGuard create(
      Map<String, Long> deleteRetentionMs, boolean exactlyOnce, long transactionTimeoutMs) {
    return new StaleStateGuard(
        deleteRetentionMs,
        marginMs(exactlyOnce, transactionTimeoutMs),
        exactlyOnce,
        System::currentTimeMillis);
  }

  /** Two clock skews, plus under exactly-once the longest a transaction may stay open. */
  static long marginMs(boolean exactlyOnce, long transactionTimeoutMs) {
    return 2 * MAX_CLOCK_SKEW.toMillis() + (exactlyOnce ? transactionTimeoutMs : 0);
  }

  /** Local states wiped so far because they were stale. */
  public long wiped() {
    return wiped.sum();
  }

  /**
   * Hook before a restore: returns {@code state} when it can be restored from, else closes it,
   * deletes the task's local state, and returns the task's state reopened empty.
   *
   * @param backend the backend {@code state} was opened from
   * @param state the task's open state
   * @param storeNames the stores to reopen with
   * @param changelogs the task's changelog partitions
   * @param consumer the restore consumer (read_committed, so end offsets are stable offsets)
   */
  public TaskStateStore wipeIfStale(
      StateBackend backend,
      TaskStateStore state,
      Collection<String> storeNames,
      Collection<TopicPartition> changelogs,
      Consumer<byte[], byte[]> consumer) {
    return wipeIfStale(backend, List.of(new Candidate(state, storeNames, changelogs)), consumer)
        .get(0);
  }

  /**
   * A task's open state to check before its restore.
   *
   * @param state the task's open state
   * @param storeNames the stores to reopen with
   * @param changelogs the task's changelog partitions
   */
  public record Candidate(
      TaskStateStore state, Collection<String> storeNames, Collection<TopicPartition> changelogs) {}

  /**
   * {@link #wipeIfStale(StateBackend, TaskStateStore, Collection, Collection, Consumer)} for
   * several tasks at once, with the same decision per task, but one end-offsets request (and at
   * most one beginning-offsets and one offsets-for-times request) for all their changelogs instead
   * of one round of requests per task.
   *
   * @param backend the backend the states were opened from
   * @param tasks the tasks, whose changelog partitions are distinct
   * @param consumer the restore consumer (read_committed, so end offsets are stable offsets)
   * @return each task's state to restore, in the order of {@code tasks}: the one handed in, or the
   *     task's state reopened empty. If this throws, every state handed in (and any reopened) is
   *     closed.
   */
  public List<TaskStateStore> wipeIfStale(
      StateBackend backend, List<Candidate> tasks, Consumer<byte[], byte[]> consumer) {
    List<TaskStateStore> out = new ArrayList<>(tasks.size());
    int next = 0;
    try {
      Map<TopicPartition, Long> local = new LinkedHashMap<>();
      for (Candidate c : tasks) {
        Map<String, Long> committed = c.state().committedOffsets();
        for (TopicPartition tp : c.changelogs()) {
          Long offset = committed.get(tp.toString());
          if (offset != null) {
            local.put(tp, offset); // fresh state restores from the beginning anyway
          }
        }
      }
      long now = clock.getAsLong();
      Map<TopicPartition, Stale> stale =
          local.isEmpty() ? Map.of() : staleChangelogs(consumer, local, now);
      for (; next < tasks.size(); next++) {
        Candidate c = tasks.get(next);
        Map<TopicPartition, Stale> own = new LinkedHashMap<>();
        for (TopicPartition tp : c.changelogs()) {
          Stale s = stale.get(tp);
          if (s != null) {
            own.put(tp, s);
          }
        }
        if (own.isEmpty()) {
          out.add(c.state());
          continue;
        }
        String taskId = c.state().taskId();
        log(taskId, own, now);
        c.state().close();
        backend.deleteState(taskId);
        wiped.increment();
        out.add(backend.open(taskId, c.storeNames()));
      }
      return out;
    } catch (RuntimeException | Error e) {
      // The caller gets no state back, so none may stay open (closing twice does nothing).
      for (TaskStateStore s : out) {
        closeQuietly(s, e);
      }
      for (int i = next; i < tasks.size(); i++) {
        closeQuietly(tasks.get(i).state(), e);
      }
      throw e;
    }
  }

  private static void closeQuietly(TaskStateStore state, Throwable failure) {
    try {
      state.close();
    } catch (RuntimeException | Error again) {
      failure.addSuppressed(again);
    }
  }

  /**
   * The changelog partitions whose local offset cannot be restored from. Costs one end-offsets
   * request, plus, only for partitions with records past the local offset, a beginning-offsets and
   * an offsets-for-times request.
   *
   * @param consumer a read_committed consumer; its assignment is not used
   * @param localOffsets the local state's next offset per changelog partition
   * @param nowMs this instance's wall-clock time
   */
  Map<TopicPartition, Stale> staleChangelogs(
      Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> localOffsets, long nowMs) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(localOffsets.keySet());
    List<TopicPartition> behind = new ArrayList<>();
    localOffsets.forEach(
        (tp, local) -> {
          if (firstUnseen(local, exactlyOnce) < ends.get(tp)) {
            behind.add(tp); // else nothing past the local offset, nothing to miss
          }
        });
    Map<TopicPartition, Stale> stale = new LinkedHashMap<>();
    if (behind.isEmpty()) {
      return stale;
    }
    Map<TopicPartition, Long> starts = consumer.beginningOffsets(behind);
    Map<TopicPartition, Long> cutoffs = new HashMap<>();
    for (TopicPartition tp : behind) {
      long cutoff = cutoffMs(tp.topic(), nowMs);
      if (cutoff > 0) {
        cutoffs.put(tp, cutoff);
      }
    }
    Map<TopicPartition, OffsetAndTimestamp> recent =
        cutoffs.isEmpty() ? Map.of() : consumer.offsetsForTimes(cutoffs);
    for (TopicPartition tp : behind) {
      Long firstRecent;
      if (!cutoffs.containsKey(tp)) {
        firstRecent = 0L; // the cutoff is before 1970: every record is recent
      } else {
        OffsetAndTimestamp found = recent.get(tp);
        firstRecent = found == null ? null : found.offset();
      }
      Stale s = judge(localOffsets.get(tp), starts.get(tp), ends.get(tp), firstRecent, exactlyOnce);
      if (s != null) {
        stale.put(tp, s);
      }
    }
    return stale;
  }

  /**
   * Records older than this (epoch ms) may have lost their tombstones: {@code now - R + margin}.
   */
  long cutoffMs(String topic, long nowMs) {
    Long retention = deleteRetentionMs.get(topic);
    Objects.requireNonNull(retention, () -> "delete.retention.ms of " + topic + " was not read");
    return nowMs - retention + marginMs;
  }

  /**
   * The decision for one partition.
   *
   * @param local the local state's next offset (X)
   * @param logStart the changelog's log start offset
   * @param end the changelog's end (last stable) offset
   * @param firstRecent the earliest offset whose timestamp is at or after the cutoff, or null when
   *     no record is that recent
   * @param exactlyOnce whether offset X holds this instance's commit marker
   * @return why X cannot be restored from, or null when it can
   */
  static Stale judge(long local, long logStart, long end, Long firstRecent, boolean exactlyOnce) {
    long firstUnseen = firstUnseen(local, exactlyOnce);
    if (firstUnseen >= end) {
      return null;
    }
    if (local < logStart) {
      return new Stale(Reason.BELOW_LOG_START, local, logStart);
    }
    if (firstRecent == null || firstUnseen < firstRecent) {
      return new Stale(
          Reason.OLDER_THAN_DELETE_RETENTION, local, firstRecent == null ? end : firstRecent);
    }
    return null;
  }

  /** The first offset that may hold a record the local state has not seen (see class comment). */
  private static long firstUnseen(long local, boolean exactlyOnce) {
    return exactlyOnce ? local + 1 : local;
  }

  private void log(String taskId, Map<TopicPartition, Stale> stale, long nowMs) {
    List<String> why = new ArrayList<>();
    boolean deleted = false;
    for (Map.Entry<TopicPartition, Stale> e : stale.entrySet()) {
      TopicPartition tp = e.getKey();
      Stale s = e.getValue();
      if (s.reason() == Reason.BELOW_LOG_START) {
        deleted = true;
        why.add(
            tp
                + ": the local state ends at offset "
                + s.localOffset()
                + " but the changelog now starts at "
                + s.boundary()
                + ", so records in between were deleted");
      } else {
        why.add(
            tp
                + ": the local state ends at offset "
                + s.localOffset()
                + " and the records from there to offset "
                + s.boundary()
                + " were written before "
                + Instant.ofEpochMilli(cutoffMs(tp.topic(), nowMs))
                + " (the topic's delete.retention.ms of "
                + deleteRetentionMs.get(tp.topic())
                + " ms ago, plus a margin of "
                + marginMs
                + " ms for clock skew), so compaction may have removed deletes among them");
      }
    }
    String message =
        "Task {}: wiping its local state and restoring it from the beginning of its changelogs,"
            + " because restoring from the local offsets could bring deleted keys back: {}";
    if (deleted) {
      LOG.warn(message, taskId, String.join("; ", why));
    } else {
      LOG.info(message, taskId, String.join("; ", why));
    }
  }
}
