package dev.weir.store;

/**
 * The byte budget and counters of the write-back caches of one stream thread's tasks (see {@link
 * TransactionalTaskState#wrap(TaskStateStore, StateCache)}): every store of every task the thread
 * runs keeps its committed entries (and the keys it knows to be absent) in memory within this one
 * budget, so reads of recently written or read keys do not reach the base store.
 *
 * <p>Only committed entries count toward the budget and only they are evicted: uncommitted writes
 * stay in memory until their commit whatever the budget, bounded by the runtime's limit on
 * uncommitted bytes. A budget of 0 disables the read cache; writes are still buffered until commit.
 *
 * <p><b>Threading.</b> Not thread-safe: used by the thread that owns the tasks. The counters are
 * plain fields, read by that thread (which publishes them as metrics).
 */
public final class StateCache {
  private final long maxBytes;
  private long usedBytes;
  private long hits;
  private long misses;
  private long flushes;
  private long evictions;

  private StateCache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("A state cache budget must be >= 0, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * A budget of {@code maxBytes} shared by the caches of one thread's stores.
   *
   * @param maxBytes bytes of committed entries to keep, 0 or more (0 disables the read cache)
   * @return a new budget with zero counters; never null
   * @throws IllegalArgumentException if {@code maxBytes} is negative
   */
  public static StateCache of(long maxBytes) {
    return new StateCache(maxBytes);
  }

  /**
   * A budget of 0: writes are buffered until commit, nothing committed is kept.
   *
   * @return a new disabled cache; never null
   */
  public static StateCache disabled() {
    return new StateCache(0);
  }

  /**
   * Returns the budget.
   *
   * @return bytes; 0 when disabled
   */
  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Returns the estimated heap held by cached committed entries.
   *
   * @return bytes, at most {@link #maxBytes()} after every operation
   */
  public long usedBytes() {
    return usedBytes;
  }

  /**
   * Returns the point reads answered from memory: a pending write, a cached committed entry, or a
   * key known to be absent.
   *
   * @return the count since creation
   */
  public long hits() {
    return hits;
  }

  /**
   * Returns the point reads that went to the base store.
   *
   * @return the count since creation
   */
  public long misses() {
    return misses;
  }

  /**
   * Returns the flushes: commits of one task's state that wrote at least one entry to its base.
   *
   * @return the count since creation
   */
  public long flushes() {
    return flushes;
  }

  /**
   * Returns the committed entries dropped to stay within the budget.
   *
   * @return the count since creation
   */
  public long evictions() {
    return evictions;
  }

  // ---- accounting, called by the overlay implementation on the owning thread; not for users

  /**
   * Whether committed entries are kept at all.
   *
   * @return false for a budget of 0
   */
  public boolean enabled() {
    return maxBytes > 0;
  }

  /** Counts a point read answered from memory. */
  public void countHit() {
    hits++;
  }

  /** Counts a point read that went to the base store. */
  public void countMiss() {
    misses++;
  }

  /** Counts one task's commit that wrote entries to its base. */
  public void countFlush() {
    flushes++;
  }

  /**
   * Accounts for a committed entry now cached.
   *
   * @param bytes its estimated heap
   */
  public void reserve(long bytes) {
    usedBytes += bytes;
  }

  /**
   * Accounts for a cached entry that left the cache other than by eviction (it was written again,
   * or its store closed).
   *
   * @param bytes its estimated heap
   */
  public void release(long bytes) {
    usedBytes -= bytes;
  }

  /**
   * Accounts for an entry evicted to stay within the budget.
   *
   * @param bytes its estimated heap
   */
  public void evict(long bytes) {
    usedBytes -= bytes;
    evictions++;
  }

  /**
   * Whether cached entries exceed the budget.
   *
   * @return true when entries should be evicted
   */
  public boolean overBudget() {
    return usedBytes > maxBytes;
  }
}
