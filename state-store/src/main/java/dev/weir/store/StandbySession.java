package dev.weir.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps warm copies of other instances' task state (standby replicas): follows the changelog
 * partitions of several tasks from one consumer, with no end, and applies what it reads in the same
 * crash-safe way as a restore ({@link ChangelogRestorer}): unlogged batches that carry the
 * changelog offsets their records reach, so a copy that crashes resumes from what survived, and
 * promoting it to an active task replays only the changelog tail it had not read yet. Obtain one
 * from {@link ChangelogRestorer#standbySession}.
 *
 * <pre>{@code
 * StandbySession standbys = restorer.standbySession(standbyConsumer);
 * standbys.add(taskState, Map.of("op.count", new TopicPartition("app-op.count-changelog", 3)));
 * while (running) {
 *   standbys.poll(Duration.ZERO, 10_000);   // bounded work per call, between other work
 * }
 * standbys.remove("0_3").close();          // flushed; or open it as the active task
 * }</pre>
 *
 * <p><b>Reads</b> only committed data: the consumer must be read_committed (aborted transactions of
 * the active never reach the copy), with byte-array deserializers, no group and {@code
 * auto.offset.reset=none}. A copy whose committed offset is no longer in the changelog (retention
 * deleted records) continues from the changelog's beginning, with a warning; the caller should have
 * wiped such a copy before adding it.
 *
 * <p><b>Threading.</b> Not thread-safe: one thread owns the session, its consumer and the task
 * states added to it (until {@link #remove} returns them).
 */
public final class StandbySession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StandbySession.class);

  private final Consumer<byte[], byte[]> consumer;
  private final int batchSize;
  private final Map<String, Replica> replicas = new LinkedHashMap<>();
  private final Map<TopicPartition, Replica> byPartition = new HashMap<>();
  private final List<Replica> added = new ArrayList<>();
  private boolean closed;

  StandbySession(Consumer<byte[], byte[]> consumer, int batchSize) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.batchSize = batchSize;
  }

  /**
   * Starts following a task's changelogs, from the offsets its state committed (or the beginning)
   * at the next {@link #poll}.
   *
   * @param state the task's state; owned by the session until {@link #remove} returns it
   * @param changelogs store name to its changelog partition; partitions not already in the session
   * @throws IllegalArgumentException if a store is unknown, a partition is given twice or is
   *     followed already, or the task is in the session
   * @throws IllegalStateException if the session is closed
   */
  public void add(TaskStateStore state, Map<String, TopicPartition> changelogs) {
    ensureOpen();
    Map<TopicPartition, String> stores = ChangelogRestorer.storesByPartition(state, changelogs);
    if (replicas.containsKey(state.taskId())) {
      throw new IllegalArgumentException("Task " + state.taskId() + " is already a standby");
    }
    for (TopicPartition tp : stores.keySet()) {
      if (byPartition.containsKey(tp)) {
        throw new IllegalArgumentException(tp + " is already followed for another task");
      }
    }
    Replica r = new Replica(state, stores);
    replicas.put(state.taskId(), r);
    stores.keySet().forEach(tp -> byPartition.put(tp, r));
    added.add(r);
  }

  /**
   * Reads and applies changelog records: polls the consumer once with {@code timeout}, then without
   * waiting while records keep coming, until at least {@code maxRecords} were applied. Every copy
   * that changed is written with its offsets before this returns.
   *
   * @param timeout how long the first poll may wait for records
   * @param maxRecords records after which to stop (one poll's records may pass it)
   * @return the number of records applied
   * @throws StateFormatException if a changelog record is not in {@link ChangelogFormat}
   * @throws org.apache.kafka.common.errors.WakeupException if the consumer was woken up
   * @throws IllegalStateException if the session is closed
   */
  public long poll(Duration timeout, long maxRecords) {
    ensureOpen();
    if (!added.isEmpty()) {
      startAdded();
    }
    if (byPartition.isEmpty()) {
      return 0;
    }
    long applied = 0;
    Duration wait = timeout;
    while (applied < maxRecords) {
      ConsumerRecords<byte[], byte[]> records;
      try {
        records = consumer.poll(wait);
      } catch (OffsetOutOfRangeException e) {
        LOG.warn(
            "Standby changelog offsets {} are no longer in the changelog (retention deleted"
                + " records); continuing from the beginning, the copy may miss deletes",
            e.offsetOutOfRangePartitions());
        consumer.seekToBeginning(e.offsetOutOfRangePartitions().keySet());
        continue;
      }
      wait = Duration.ZERO;
      if (records.isEmpty()) {
        break;
      }
      for (TopicPartition tp : records.partitions()) {
        Replica r = byPartition.get(tp);
        if (r == null) {
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> rec : records.records(tp)) {
          r.writer.add(tp, rec.offset(), rec.key(), rec.value());
          applied++;
        }
      }
    }
    // Positions past transaction markers and aborted records advance the offsets too, so that a
    // promoted copy does not re-read them.
    for (Map.Entry<TopicPartition, Replica> e : byPartition.entrySet()) {
      e.getValue().writer.advance(e.getKey(), consumer.position(e.getKey()));
    }
    for (Replica r : replicas.values()) {
      r.writer.applyPending();
    }
    return applied;
  }

  /**
   * Stops following a task: applies what was read, flushes, and hands its state back, still open.
   *
   * @param taskId the task
   * @return the task's state, owned by the caller again; null when the task is not in the session
   * @throws StateStoreException if applying or flushing fails (the state is closed then)
   */
  public TaskStateStore remove(String taskId) {
    Replica r = replicas.remove(taskId);
    if (r == null) {
      return null;
    }
    added.remove(r);
    r.stores.keySet().forEach(byPartition::remove);
    try {
      r.writer.finish();
    } catch (RuntimeException e) {
      r.writer.close();
      r.state.close();
      throw e;
    }
    r.writer.close();
    if (!closed) {
      consumer.assign(new ArrayList<>(byPartition.keySet()));
    }
    return r.state;
  }

  /**
   * Returns the ids of the tasks followed.
   *
   * @return an immutable copy, in the order added
   */
  public Set<String> taskIds() {
    return Set.copyOf(replicas.keySet());
  }

  /**
   * Returns, per task, the sum of the changelog offsets its copy reached (applied to its state):
   * how far behind a copy is, against the changelogs' end offsets, without a request.
   *
   * @return task id to offset sum; a new map
   */
  public Map<String, Long> offsetSums() {
    Map<String, Long> out = new LinkedHashMap<>();
    replicas.forEach(
        (id, r) -> {
          long sum = 0;
          Map<String, Long> committed = r.state.committedOffsets();
          for (TopicPartition tp : r.stores.keySet()) {
            sum += committed.getOrDefault(tp.toString(), 0L);
          }
          out.put(id, sum);
        });
    return out;
  }

  /**
   * Removes every task, flushing and closing its state, and clears the consumer's assignment.
   * Idempotent.
   *
   * @throws StateStoreException if flushing a copy failed (every copy is closed all the same)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    for (String id : List.copyOf(replicas.keySet())) {
      try {
        TaskStateStore s = remove(id);
        s.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    try {
      consumer.unsubscribe();
    } catch (RuntimeException e) {
      if (failure == null) {
        failure = e;
      } else {
        failure.addSuppressed(e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Assigns the new copies' partitions and seeks them to their committed offsets. */
  private void startAdded() {
    consumer.assign(new ArrayList<>(byPartition.keySet()));
    List<TopicPartition> fromBeginning = new ArrayList<>();
    for (Replica r : added) {
      Map<String, Long> committed = r.state.committedOffsets();
      for (Map.Entry<TopicPartition, String> e : r.stores.entrySet()) {
        TopicPartition tp = e.getKey();
        Long local = committed.get(tp.toString());
        r.writer.begin(e.getValue(), tp, local == null ? 0 : local, Long.MAX_VALUE);
        if (local == null) {
          fromBeginning.add(tp);
        } else {
          consumer.seek(tp, local);
        }
      }
      LOG.info(
          "Standby of task {} follows {} from offsets {}",
          r.state.taskId(),
          r.stores.keySet(),
          committed);
    }
    if (!fromBeginning.isEmpty()) {
      consumer.seekToBeginning(fromBeginning);
    }
    added.clear();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Standby session is closed");
    }
  }

  /** One followed task: its state and the writer that batches its records. */
  private final class Replica {
    final TaskStateStore state;
    final Map<TopicPartition, String> stores;
    final RestoreBatchWriter writer;

    Replica(TaskStateStore state, Map<TopicPartition, String> stores) {
      this.state = state;
      this.stores = stores;
      this.writer = new RestoreBatchWriter(state, batchSize, RestoreListener.noOp());
    }
  }
}
