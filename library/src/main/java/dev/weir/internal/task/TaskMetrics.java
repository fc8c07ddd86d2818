package dev.weir.internal.task;

import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.metrics.Sensor;

/**
 * Counters and sensors of one stream thread's tasks. The counters are written by the owning thread
 * only; {@link LongAdder} makes them safe to read from a metrics reporter on another thread, and so
 * does {@link OwnerCounter} for the two counted once per record, without a locked instruction. The
 * registry reads the counters at report time ({@code dev.weir.internal.metrics.ThreadMetrics}), so
 * counting a record costs one increment; rates and latencies go through Kafka {@link Sensor}s,
 * recorded once per poll (rates), per commit, or per sampled record (process latency).
 *
 * <p>A new counter is a new {@code LongAdder} field here plus a catalogue entry and one line in
 * {@code ThreadMetrics}.
 */
public final class TaskMetrics {
  /** One record in this many has its process latency measured (a power of two). */
  public static final int PROCESS_LATENCY_SAMPLE = 16;

  /** Records read by the thread's tasks; one increment per record, so no compare-and-swap. */
  public final OwnerCounter recordsIn = new OwnerCounter();

  /** Records written to Kafka sinks; one increment per record, so no compare-and-swap. */
  public final OwnerCounter recordsOut = new OwnerCounter();

  public final LongAdder deserializationErrors = new LongAdder();
  public final LongAdder processingErrors = new LongAdder();
  public final LongAdder skippedRecords = new LongAdder();
  public final LongAdder deadLettered = new LongAdder();
  public final LongAdder commits = new LongAdder();
  public final LongAdder commitTimeNanos = new LongAdder();
  public final LongAdder aborts = new LongAdder();
  public final LongAdder forcedCommits = new LongAdder();
  public final LongAdder lateRecordsDropped = new LongAdder();
  public final LongAdder restoredRecords = new LongAdder();
  public final LongAdder restoreTimeNanos = new LongAdder();

  /** Changelog records applied to standby and warm-up replicas. */
  public final LongAdder standbyRecords = new LongAdder();

  /** Standby replicas the thread holds now, warm-ups included. */
  public final java.util.concurrent.atomic.AtomicLong standbyTasks =
      new java.util.concurrent.atomic.AtomicLong();

  /** Warm-up replicas among them. */
  public final java.util.concurrent.atomic.AtomicLong warmupTasks =
      new java.util.concurrent.atomic.AtomicLong();

  /** Input partitions the thread has paused for fetch alignment now (a gauge). */
  public final java.util.concurrent.atomic.AtomicLong alignmentPausedPartitions =
      new java.util.concurrent.atomic.AtomicLong();

  public final LongAdder changelogRecordsSent = new LongAdder();
  public final LongAdder offsetResets = new LongAdder();
  public final LongAdder productionErrorsSkipped = new LongAdder();
  public final LongAdder productionErrorsDeadLettered = new LongAdder();

  /** Async requests started and not yet emitted (a gauge kept as a sum of +1 / -1). */
  public final LongAdder asyncInFlight = new LongAdder();

  public final LongAdder asyncRequests = new LongAdder();
  public final LongAdder asyncTimeouts = new LongAdder();
  public final LongAdder asyncRetries = new LongAdder();

  /**
   * Two-phase-commit sinks: transactions pre-committed, committed after the Kafka commit, and
   * committed again on restore (their Kafka commit recorded them; the external commit had not been
   * confirmed).
   */
  public final LongAdder sinkPreCommits = new LongAdder();

  public final LongAdder sinkCommits = new LongAdder();
  public final LongAdder sinkRecoveredCommits = new LongAdder();

  // The thread's write-back cache counters (dev.weir.store.StateCache), copied by the owning
  // thread after each commit so that reporters on other threads read them safely.
  public volatile long stateCacheHits;
  public volatile long stateCacheMisses;
  public volatile long stateCacheFlushes;
  public volatile long stateCacheEvictions;
  public volatile long stateCacheBytes;

  /**
   * Copies the cache's counters for the gauges; on the thread that owns the cache.
   *
   * @param cache the thread's cache
   */
  public void publishCache(dev.weir.store.StateCache cache) {
    stateCacheHits = cache.hits();
    stateCacheMisses = cache.misses();
    stateCacheFlushes = cache.flushes();
    stateCacheEvictions = cache.evictions();
    stateCacheBytes = cache.usedBytes();
  }

  /**
   * Task lifecycle: tasks created on the thread (assigned, or rebuilt by a rollback), closed (for
   * any reason), and closed because the group revoked them (a subset of closed).
   */
  public final LongAdder tasksCreated = new LongAdder();

  public final LongAdder tasksClosed = new LongAdder();
  public final LongAdder tasksRevoked = new LongAdder();

  /**
   * Transactional producers of departed threads this thread fenced to abort their open transaction
   * at once (design record 017).
   */
  public final LongAdder fencedDepartedProducers = new LongAdder();

  // Set by bind() before the owning thread starts (Thread.start publishes them); null when the
  // metrics are not in a registry, which makes recording a no-op.
  private Sensor processLatency;
  private Sensor commitLatency;
  private Sensor recordsInRate;
  private Sensor recordsOutRate;
  private Sensor deadLetterRate;
  private long flushedIn;
  private long flushedOut;
  private long flushedDeadLetter;
  private int sampleCount;

  /**
   * Attaches the registry's sensors. Called once, before the owning thread runs.
   *
   * @param processLatency records sampled process latencies in ms
   * @param commitLatency records commit latencies in ms
   * @param recordsInRate records the number of records read since the last flush
   * @param recordsOutRate records the number of records written since the last flush
   * @param deadLetterRate records the number of dead-lettered records since the last flush
   */
  public void bind(
      Sensor processLatency,
      Sensor commitLatency,
      Sensor recordsInRate,
      Sensor recordsOutRate,
      Sensor deadLetterRate) {
    this.processLatency = processLatency;
    this.commitLatency = commitLatency;
    this.recordsInRate = recordsInRate;
    this.recordsOutRate = recordsOutRate;
    this.deadLetterRate = deadLetterRate;
  }

  /**
   * Whether the next record's process latency is to be measured: one in {@link
   * #PROCESS_LATENCY_SAMPLE}, and never without a registry. Owning thread only.
   *
   * @return true to time the next record
   */
  public boolean sampleNext() {
    return processLatency != null && (++sampleCount & (PROCESS_LATENCY_SAMPLE - 1)) == 0;
  }

  /**
   * Records one sampled process latency. Owning thread only.
   *
   * @param nanos how long the record took
   */
  public void recordProcessLatency(long nanos) {
    Sensor s = processLatency;
    if (s != null) {
      s.record(nanos / 1e6);
    }
  }

  /**
   * Counts one completed commit. Owning thread only.
   *
   * @param nanos how long it took
   */
  public void recordCommit(long nanos) {
    commits.increment();
    commitTimeNanos.add(nanos);
    Sensor s = commitLatency;
    if (s != null) {
      s.record(nanos / 1e6);
    }
  }

  /**
   * Feeds the counts since the last call into the rate sensors (at the registry's time); once per
   * poll. Owning thread only.
   */
  public void flushRates() {
    if (recordsInRate == null) {
      return;
    }
    long in = recordsIn.sum();
    long out = recordsOut.sum();
    long dlq = deadLettered.sum();
    recordsInRate.record(in - flushedIn);
    recordsOutRate.record(out - flushedOut);
    deadLetterRate.record(dlq - flushedDeadLetter);
    flushedIn = in;
    flushedOut = out;
    flushedDeadLetter = dlq;
  }
}
