package dev.weir.store;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's restore in a {@link RestoreSession}: the task's state and {@link RestoreBatchWriter},
 * the end offset of each of its changelog partitions, the partitions not read to their end, the
 * queue of work that the session's writers run for it (one writer at a time, in order) and the
 * restore's outcome. The session decides what goes into the queue and schedules it; the fields
 * below the queue are guarded by the session's lock, the others belong to the session's owner
 * thread (the state and writer: to the writer running the task's work).
 *
 * <p>Logs through the session's logger ({@code dev.weir.store.RestoreSession}).
 */
final class TaskRestore {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreSession.class);

  /** Work for a task's writer, and the changelog records it accounts for. */
  record Work(Runnable run, int records) {}

  final TaskStateStore state;
  final Map<TopicPartition, String> stores;
  final RestoreBatchWriter writer;
  final long started = System.nanoTime();
  final Map<TopicPartition, Long> ends = new HashMap<>();
  long total;

  /** Partitions not read to their end; owner thread only. */
  final Set<TopicPartition> unread = new HashSet<>();

  /** The session's lock, which guards the fields below. */
  private final Object lock;

  final ArrayDeque<Work> queue = new ArrayDeque<>();
  long queuedRecords;
  long applied;
  boolean paused;
  boolean scheduled;
  boolean completed;
  RestoreResult result;
  RuntimeException failure;

  /**
   * @param state the task's state
   * @param stores the task's changelog partitions, to their stores
   * @param writer the writer that applies the task's records to its state
   * @param lock the session's lock
   */
  TaskRestore(
      TaskStateStore state,
      Map<TopicPartition, String> stores,
      RestoreBatchWriter writer,
      Object lock) {
    this.state = state;
    this.stores = stores;
    this.writer = writer;
    this.lock = lock;
  }

  /** Runs on a writer: applies records the consumer read, those below the end, in order. */
  void apply(
      TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records, long end, long position) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.offset() < end) {
        writer.add(tp, r.offset(), r.key(), r.value());
      }
    }
    writer.advance(tp, position);
  }

  /** Runs on a writer once every partition was read: flushes and records the result. */
  void finish() {
    Map<String, Long> restored = new HashMap<>();
    stores.values().forEach(store -> restored.put(store, 0L));
    restored.putAll(writer.finish());
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    LOG.info("Restored task {} in {} ms: {}", state.taskId(), elapsed.toMillis(), restored);
    RestoreResult r = new RestoreResult(restored, elapsed);
    synchronized (lock) {
      result = r;
      completed = true;
    }
  }
}
