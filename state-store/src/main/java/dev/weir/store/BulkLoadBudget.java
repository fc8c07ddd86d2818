package dev.weir.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that the bulk loads of one {@link RestoreSession} may hold together: each task's writer
 * buffers a chunk of changelog records before it ingests them (design record 019), and with many
 * tasks restoring at once those chunks would otherwise add up to many times {@link
 * RestoreBatchWriter#MAX_CHUNK_BYTES}. A writer whose chunk reached {@link
 * RestoreBatchWriter#MIN_CHUNK_BYTES} ingests it early once the session's total is over the budget.
 * Thread-safe: the writers of one session run on several threads.
 */
final class BulkLoadBudget {
  /** What the bulk loads of one session may buffer before they ingest early. */
  static final long DEFAULT_BYTES = 128L << 20;

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  BulkLoadBudget(long limit) {
    this.limit = limit;
  }

  void add(long bytes) {
    used.addAndGet(bytes);
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  boolean exceeded() {
    return used.get() >= limit;
  }

  long used() {
    return used.get();
  }
}
