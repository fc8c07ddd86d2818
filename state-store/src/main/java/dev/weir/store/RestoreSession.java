package dev.weir.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the state of several tasks at once, in steps, from one consumer: the way a stream thread
 * restores the tasks it was just assigned while it keeps processing the tasks it already runs, and
 * keeps polling its group consumer (so a restore of any size never exceeds {@code
 * max.poll.interval.ms}). Obtain one from {@link ChangelogRestorer#session}.
 *
 * <pre>{@code
 * try (RestoreSession session = restorer.session(restoreConsumer, writerPool)) {
 *   session.add(taskState, Map.of("op.count", new TopicPartition("app-op-changelog", 3)));
 *   while (!session.isEmpty()) {
 *     for (RestoreResult done : session.poll(Duration.ofMillis(100)).values()) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p><b>Reading and writing in parallel.</b> The caller's thread polls the consumer, which fetches
 * and parses the changelog records of every task in the session at once (so fetches for one
 * partition overlap the processing of another). The records go, per task and in order, to the
 * writer {@link Executor}, which turns them into unlogged RocksDB batches as {@link
 * ChangelogRestorer#restore} does: on a multi-core machine parsing and writing run side by side,
 * and tasks are written in parallel. Each task's records are applied by at most one writer at a
 * time, in changelog order; at most {@link #maxInFlightRecords()} records wait for writers, above
 * which {@code poll} waits instead of fetching more. With a {@code null} executor the caller's
 * thread writes too. A task with many records to restore is bulk-loaded instead (see {@link
 * ChangelogRestorer#withBulkLoadThreshold}): its writer buffers chunks of records, and the chunks
 * of all tasks in the session hold about 128 MiB of heap at most before they are ingested early.
 * Such a task's changelogs may be read with raw fetch requests instead of the consumer (design
 * record 030), and the fetched record batches are handed to the writers in the same way.
 *
 * <p><b>Task states</b> handed to {@link #add} belong to the session until {@code poll} returns
 * their result or {@link #remove} returns: the caller must not use them meanwhile, and they are
 * written from writer threads (each task state by one thread at a time, with a happens-before edge
 * between writers and back to the caller). Crash consistency is that of {@link ChangelogRestorer}:
 * every batch carries the changelog offsets its records reach, so a restore that is removed, fails
 * or crashes resumes from what was applied.
 *
 * <p><b>Threading.</b> Every method must be called by the one thread that owns the session and the
 * consumer. The {@link RestoreListener} is called from writer threads.
 */
public final class RestoreSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreSession.class);
  private static final long LOG_INTERVAL_NANOS =
      Duration.ofSeconds(ChangelogRestorer.LOG_INTERVAL_SECONDS).toNanos();

  private final int batchSize;
  private final long bulkLoadThreshold;
  private final BulkLoadBudget bulkBudget = new BulkLoadBudget(BulkLoadBudget.DEFAULT_BYTES);
  private final RestoreListener listener;
  private final Consumer<byte[], byte[]> consumer;
  private final Executor writers;
  private final long maxInFlight;
  private final long maxQueuedPerTask;

  /** Tasks by id, in the order added; touched by the owner thread only. */
  private final Map<String, TaskRestore> tasks = new LinkedHashMap<>();

  /** Changelog partitions being read, to their task; touched by the owner thread only. */
  private final Map<TopicPartition, TaskRestore> reading = new HashMap<>();

  /** Tasks added since the last poll, whose offsets are not looked up yet. */
  private final List<TaskRestore> added = new ArrayList<>();

  /** Guards the writer queues, {@link #inFlight} and the task outcomes. */
  private final Object lock = new Object();

  private long inFlight;
  private long nextProgressLog;
  private boolean assignmentChanged;
  private boolean closed;

  /**
   * The raw side of the session (design record 030): which partitions are read with raw fetch
   * requests, their reader and offsets, and the fallback to {@link #consumer}. The session keeps
   * the tasks, the consumer's assignment and the writers, and hands the raw chunks to the writers.
   */
  private final RawRestoreReads raw;

  RestoreSession(
      int batchSize,
      long bulkLoadThreshold,
      RestoreListener listener,
      Consumer<byte[], byte[]> consumer,
      Executor writers) {
    this(batchSize, bulkLoadThreshold, listener, consumer, writers, null);
  }

  RestoreSession(
      int batchSize,
      long bulkLoadThreshold,
      RestoreListener listener,
      Consumer<byte[], byte[]> consumer,
      Executor writers,
      Map<String, Object> rawFetchConfig) {
    this.batchSize = batchSize;
    this.bulkLoadThreshold = bulkLoadThreshold;
    this.listener = listener;
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.writers = writers == null ? Runnable::run : writers;
    this.maxInFlight = 8L * batchSize;
    this.maxQueuedPerTask = 2L * batchSize;
    this.nextProgressLog = System.nanoTime() + LOG_INTERVAL_NANOS;
    this.raw =
        new RawRestoreReads(
            rawFetchConfig, this.consumer, bulkLoadThreshold, this::readWithConsumer);
  }

  /**
   * Starts restoring a task. Its changelogs are read from the next {@link #poll} on, from the
   * locally committed offsets (or the beginning) to the end offsets as of that poll.
   *
   * @param state the task's state, not wrapped in a {@link TransactionalTaskState} with pending
   *     writes; owned by the session until restored or removed
   * @param changelogs store name to its changelog partition; may be empty. Partitions must be
   *     distinct and not already in the session
   * @throws IllegalArgumentException if a store is unknown, a partition is given twice or the task
   *     is already in the session
   */
  public void add(TaskStateStore state, Map<String, TopicPartition> changelogs) {
    ensureOpen();
    Objects.requireNonNull(state, "state");
    Map<TopicPartition, String> stores = ChangelogRestorer.storesByPartition(state, changelogs);
    if (tasks.containsKey(state.taskId())) {
      throw new IllegalArgumentException("Task " + state.taskId() + " is already restoring");
    }
    for (TopicPartition tp : stores.keySet()) {
      if (reading.containsKey(tp) || isAdded(tp)) {
        throw new IllegalArgumentException(tp + " is already restoring for another task");
      }
    }
    TaskRestore t =
        new TaskRestore(
            state,
            stores,
            new RestoreBatchWriter(state, batchSize, listener, bulkLoadThreshold, bulkBudget),
            lock);
    tasks.put(state.taskId(), t);
    added.add(t);
  }

  /**
   * Reads and applies changelog records for at most about {@code timeout}, and returns the tasks
   * whose restore completed (applied and flushed) since the last call. A completed task leaves the
   * session; its state belongs to the caller again.
   *
   * @param timeout how long to wait for records or writers when there is nothing to do at once
   * @return task id to what its restore applied; empty when none completed; never null
   * @throws StateFormatException if a changelog record is not in {@link ChangelogFormat}; the
   *     failing task stays in the session until {@link #remove removed}
   * @throws org.apache.kafka.common.errors.WakeupException if the consumer was woken up
   * @throws org.apache.kafka.common.KafkaException if the consumer fails
   */
  public Map<String, RestoreResult> poll(Duration timeout) {
    ensureOpen();
    if (!added.isEmpty()) {
      startAdded();
    }
    if (assignmentChanged) {
      consumer.assign(consumerPartitions());
      assignmentChanged = false;
    }
    Map<String, RestoreResult> done = takeCompleted();
    if (!done.isEmpty()) {
      return done;
    }
    Set<TopicPartition> rawFetchable = new HashSet<>();
    boolean consumerFetchable = updatePauses(rawFetchable);
    if (!rawFetchable.isEmpty()) {
      pollRaw(rawFetchable, consumerFetchable ? Duration.ZERO : timeout);
    }
    if (consumerFetchable) {
      dispatch(consumer.poll(rawFetchable.isEmpty() ? timeout : Duration.ZERO));
    } else if (rawFetchable.isEmpty() && !tasks.isEmpty()) {
      awaitWriters(timeout);
    }
    logProgress();
    return takeCompleted();
  }

  /**
   * Stops restoring a task: records not yet handed to a writer are dropped, the one being applied
   * completes, and what was read is applied with its offsets, so a later restore resumes there.
   * Does nothing for a task not in the session.
   *
   * @param taskId the task
   * @throws StateStoreException if applying what was read fails
   */
  public void remove(String taskId) {
    TaskRestore t = tasks.remove(taskId);
    if (t == null) {
      return;
    }
    added.remove(t);
    for (TopicPartition tp : t.stores.keySet()) {
      if (reading.remove(tp) != null) {
        assignmentChanged = true;
      }
    }
    RuntimeException failure;
    synchronized (lock) {
      inFlight -= t.queuedRecords;
      t.queue.clear();
      t.queuedRecords = 0;
      while (t.scheduled) {
        waitOn(lock, 0);
      }
      failure = t.failure;
      lock.notifyAll();
    }
    try {
      if (failure == null && !t.completed) {
        t.writer.applyPending();
      }
    } finally {
      t.writer.close();
    }
    raw.forget(t.stores.keySet());
    if (assignmentChanged && !closed) {
      consumer.assign(consumerPartitions());
      assignmentChanged = false;
    }
  }

  /**
   * Returns whether no task is restoring.
   *
   * @return true when every added task has finished (its result was returned by {@code poll}) or
   *     was removed
   */
  public boolean isEmpty() {
    return tasks.isEmpty();
  }

  /**
   * Returns the ids of the tasks restoring.
   *
   * @return an immutable copy, in the order the tasks were added
   */
  public Set<String> taskIds() {
    return Set.copyOf(tasks.keySet());
  }

  /**
   * Returns how many read records may wait for writers before {@code poll} stops fetching.
   *
   * @return the limit, in records
   */
  public long maxInFlightRecords() {
    return maxInFlight;
  }

  /**
   * {@link #remove Removes} every task and clears the consumer's assignment. Idempotent.
   *
   * @throws StateStoreException if applying what was read fails
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    RuntimeException failure = null;
    for (String id : List.copyOf(tasks.keySet())) {
      try {
        remove(id);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    closed = true;
    raw.close();
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

  /** Looks up the offsets of the tasks added since the last poll (two requests for all of them). */
  private void startAdded() {
    if (tasks.size() == added.size()) {
      // A restore starts: its first progress line comes one interval from now, not at once.
      nextProgressLog = System.nanoTime() + LOG_INTERVAL_NANOS;
    }
    List<TopicPartition> partitions = new ArrayList<>();
    added.forEach(t -> partitions.addAll(t.stores.keySet()));
    Map<TopicPartition, Long> ends = Map.of();
    Map<TopicPartition, Long> beginnings = Map.of();
    if (!partitions.isEmpty()) {
      // Assigned before the offset lookups: the consumer records the last stable offsets it
      // learns only for assigned partitions (and logs a warning for the others).
      List<TopicPartition> all = new ArrayList<>(reading.keySet());
      all.addAll(partitions);
      consumer.assign(all);
      ends = consumer.endOffsets(partitions);
      beginnings = consumer.beginningOffsets(partitions);
    }
    List<TopicPartition> seeks = new ArrayList<>();
    Map<TopicPartition, Long> seekTo = new HashMap<>();
    for (TaskRestore t : added) {
      Map<String, Long> committed = t.state.committedOffsets();
      for (Map.Entry<TopicPartition, String> e : t.stores.entrySet()) {
        TopicPartition tp = e.getKey();
        long end = ends.get(tp);
        long start = ChangelogRestorer.startOffset(t.state, tp, committed, beginnings.get(tp), end);
        t.writer.begin(e.getValue(), tp, start, end);
        t.ends.put(tp, end);
        t.total += Math.max(0, end - start);
        if (start < end) {
          reading.put(tp, t);
          t.unread.add(tp);
          seeks.add(tp);
          seekTo.put(tp, start);
        }
      }
      raw.start(t.state.taskId(), t.total, t.unread, seekTo);
      LOG.info(
          "Restoring task {}: {} of {} changelog partitions have records to apply",
          t.state.taskId(),
          t.unread.size(),
          t.stores.size());
      if (t.unread.isEmpty()) {
        submit(t, t::finish, 0);
      }
    }
    added.clear();
    consumer.assign(consumerPartitions());
    assignmentChanged = false;
    for (TopicPartition tp : seeks) {
      if (!raw.reads(tp)) {
        consumer.seek(tp, seekTo.get(tp));
      }
    }
  }

  /** The partitions being read that the consumer reads (not the raw reader). */
  private List<TopicPartition> consumerPartitions() {
    List<TopicPartition> out = new ArrayList<>();
    for (TopicPartition tp : reading.keySet()) {
      if (!raw.reads(tp)) {
        out.add(tp);
      }
    }
    return out;
  }

  /** Fetches for the raw partitions given and hands the chunks to their tasks' writers. */
  private void pollRaw(Set<TopicPartition> fetchable, Duration timeout) {
    List<TopicPartition> finished = new ArrayList<>();
    for (RawChangelogReader.Fetched f : raw.fetch(fetchable, timeout, reading::containsKey)) {
      TopicPartition tp = f.partition;
      TaskRestore t = reading.get(tp);
      long end = t.ends.get(tp);
      submit(t, () -> raw.apply(f, end, t.writer), f.spannedOffsets);
      if (f.nextOffset >= end) {
        finished.add(tp);
      }
    }
    finishReading(finished);
  }

  /**
   * The raw reads failed: their partitions go to the consumer from the offsets after the chunks
   * handed to the writers, which apply them before anything the consumer reads.
   */
  private void readWithConsumer(Map<TopicPartition, Long> from) {
    consumer.assign(consumerPartitions());
    assignmentChanged = false;
    from.forEach(consumer::seek);
    // Tasks paused before the fallback stay paused in the consumer.
    List<TopicPartition> paused = new ArrayList<>();
    synchronized (lock) {
      for (TopicPartition tp : from.keySet()) {
        TaskRestore t = reading.get(tp);
        if (t != null && t.paused) {
          paused.add(tp);
        }
      }
    }
    if (!paused.isEmpty()) {
      consumer.pause(paused);
    }
  }

  /** The raw reads of this session (tests). */
  RawRestoreReads rawReads() {
    return raw;
  }

  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      TaskRestore t = reading.get(tp);
      if (t != null) {
        List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
        long end = t.ends.get(tp);
        long position = consumer.position(tp);
        submit(t, () -> t.apply(tp, list, end, position), list.size());
      }
    }
    // Partitions whose position passed the end (also through markers or aborted records alone).
    List<TopicPartition> finished = new ArrayList<>();
    for (Map.Entry<TopicPartition, TaskRestore> e : reading.entrySet()) {
      TopicPartition tp = e.getKey();
      if (raw.reads(tp)) {
        continue;
      }
      TaskRestore t = e.getValue();
      long position = consumer.position(tp);
      if (position >= t.ends.get(tp)) {
        finished.add(tp);
        if (!records.records(tp).isEmpty()) {
          continue; // the chunk above advances the writer
        }
        submit(t, () -> t.writer.advance(tp, position), 0);
      }
    }
    finishReading(finished);
    if (!finished.isEmpty()) {
      consumer.pause(finished);
      assignmentChanged = true;
    }
  }

  /** Partitions read to their end: a task whose partitions all are finishes. */
  private void finishReading(List<TopicPartition> finished) {
    raw.forget(finished);
    for (TopicPartition tp : finished) {
      TaskRestore t = reading.remove(tp);
      t.unread.remove(tp);
      if (t.unread.isEmpty()) {
        submit(t, t::finish, 0);
      }
    }
  }

  /**
   * Pauses the partitions of tasks whose writer is behind by {@link #maxQueuedPerTask} records and
   * resumes them once it caught up to half of that, so that the consumer fetches for the tasks
   * whose writers have room (a task is written by one writer at a time: without this, one task's
   * backlog could fill the in-flight budget while the other writers idle).
   *
   * @return whether to poll: some partition is fetchable and the in-flight budget has room
   */
  private boolean updatePauses(Set<TopicPartition> rawFetchable) {
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    boolean fetchable = false;
    boolean room;
    synchronized (lock) {
      room = inFlight < maxInFlight;
      for (TaskRestore t : tasks.values()) {
        if (t.unread.isEmpty()) {
          continue;
        }
        boolean isRaw = raw.reads(t.unread.iterator().next());
        if (!t.paused && t.queuedRecords >= maxQueuedPerTask) {
          t.paused = true;
          if (!isRaw) {
            pause.addAll(t.unread);
          }
        } else if (t.paused && t.queuedRecords <= maxQueuedPerTask / 2) {
          t.paused = false;
          if (!isRaw) {
            resume.addAll(t.unread);
          }
        }
        if (isRaw) {
          if (!t.paused && room) {
            rawFetchable.addAll(t.unread);
          }
        } else {
          fetchable |= !t.paused;
        }
      }
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
    if (!resume.isEmpty()) {
      consumer.resume(resume);
    }
    return fetchable && room;
  }

  private void submit(TaskRestore t, Runnable work, int records) {
    boolean schedule;
    synchronized (lock) {
      t.queue.add(new TaskRestore.Work(work, records));
      t.queuedRecords += records;
      inFlight += records;
      schedule = !t.scheduled;
      t.scheduled = true;
    }
    if (schedule) {
      writers.execute(() -> drain(t));
    }
  }

  /** Runs on a writer: applies a task's queued work in order until its queue is empty. */
  private void drain(TaskRestore t) {
    while (true) {
      TaskRestore.Work w;
      synchronized (lock) {
        w = t.failure == null ? t.queue.poll() : null;
        if (w == null) {
          inFlight -= t.queuedRecords;
          t.queuedRecords = 0;
          t.queue.clear();
          t.scheduled = false;
          lock.notifyAll();
          return;
        }
      }
      try {
        w.run().run();
      } catch (RuntimeException e) {
        synchronized (lock) {
          t.failure = e;
        }
      } catch (Error e) {
        synchronized (lock) {
          t.failure = new StateStoreException("Restoring task " + t.state.taskId() + " failed", e);
        }
      }
      synchronized (lock) {
        t.queuedRecords -= w.records();
        inFlight -= w.records();
        t.applied += w.records();
        lock.notifyAll();
      }
    }
  }

  private Map<String, RestoreResult> takeCompleted() {
    Map<String, RestoreResult> done = new LinkedHashMap<>();
    synchronized (lock) {
      for (TaskRestore t : tasks.values()) {
        if (t.failure != null) {
          throw t.failure;
        }
        if (t.completed && !t.scheduled) {
          done.put(t.state.taskId(), t.result);
        }
      }
    }
    for (String id : done.keySet()) {
      tasks.remove(id).writer.close();
    }
    return done;
  }

  private void awaitWriters(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        if (inFlight < maxInFlight && !reading.isEmpty()) {
          for (TaskRestore t : tasks.values()) {
            if (!t.unread.isEmpty() && (!t.paused || t.queuedRecords <= maxQueuedPerTask / 2)) {
              return;
            }
          }
        }
        for (TaskRestore t : tasks.values()) {
          if (t.failure != null || (t.completed && !t.scheduled)) {
            return;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        waitOn(lock, Math.max(1, left / 1_000_000));
      }
    }
  }

  /**
   * At INFO, at most every {@link ChangelogRestorer#LOG_INTERVAL_SECONDS}: each task's progress.
   */
  private void logProgress() {
    long now = System.nanoTime();
    if (now - nextProgressLog < 0 || tasks.isEmpty()) {
      return;
    }
    nextProgressLog = now + LOG_INTERVAL_NANOS;
    synchronized (lock) {
      for (TaskRestore t : tasks.values()) {
        if (!t.completed && t.total > 0) {
          LOG.info(
              "Restoring task {}: {} of at most {} changelog records applied ({} tasks restoring)",
              t.state.taskId(),
              t.applied,
              t.total,
              tasks.size());
        }
      }
    }
  }

  private boolean isAdded(TopicPartition tp) {
    for (TaskRestore t : added) {
      if (t.stores.containsKey(tp)) {
        return true;
      }
    }
    return false;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Restore session is closed");
    }
  }

  private static void waitOn(Object monitor, long millis) {
    try {
      monitor.wait(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    }
  }
}
