package dev.weir.internal.task;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one stream thread's tasks. Written by the owning thread only; {@link LongAdder} makes
 * them safe to read from a metrics reporter on another thread.
 */
public final class TaskMetrics {
  public final LongAdder recordsIn = new LongAdder();
  public final LongAdder recordsOut = new LongAdder();
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
  public final LongAdder changelogRecordsSent = new LongAdder();

  /** Async requests started and not yet emitted (a gauge kept as a sum of +1 / -1). */
  public final LongAdder asyncInFlight = new LongAdder();

  public final LongAdder asyncRequests = new LongAdder();
  public final LongAdder asyncTimeouts = new LongAdder();
  public final LongAdder asyncRetries = new LongAdder();
}
