package dev.weir.store.internal;

import dev.weir.store.KeyValueStore;
import dev.weir.store.PendingWriteVisitor;
import dev.weir.store.StateCache;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import dev.weir.store.TransactionalTaskState;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * {@link TransactionalTaskState} as one {@link OverlayKeyValueStore} per base store, all caching
 * within one {@link StateCache} budget. Commit turns every pending entry plus the new offsets into
 * one batch on the base, applied with the WAL, and turns the pending entries into clean cached ones
 * only after the base accepted it; abort drops pending and cached entries alike.
 *
 * <p>The commit's batch is created once and cleared for each commit, so its buffer, grown to the
 * size of the largest commit so far, is not grown again from scratch every commit (design record
 * 037). It holds no native resource (the RocksDB backend serializes in a Java array) and is closed
 * and dropped by {@link #abort()}, which the task calls before it closes the base; like the rest of
 * this class it is confined to the task's thread.
 */
final class OverlayTaskState implements TransactionalTaskState {
  private final TaskStateStore base;
  private final Map<String, OverlayKeyValueStore> stores = new TreeMap<>();

  /**
   * A commit that wrote more key and value bytes than this does not keep its batch for the next:
   * each task keeps its batch's buffer between commits, so this bounds what a task pins (a task
   * count times this), while the small commits of a busy task still reuse theirs.
   */
  static final long RETAINED_BATCH_BYTES = 1 << 20;

  /** Keys whose puts the commit does not apply to the base (design record 039). */
  private final Predicate<byte[]> storedElsewhere;

  // Reused by every commit; null until the first, after an abort and after a large commit.
  private StateWriteBatch batch;

  OverlayTaskState(
      TaskStateStore base,
      StateCache cache,
      Predicate<byte[]> scannedOnly,
      Predicate<byte[]> reusedScans,
      Predicate<byte[]> storedElsewhere) {
    this.base = Objects.requireNonNull(base, "base");
    this.storedElsewhere = Objects.requireNonNull(storedElsewhere, "storedElsewhere");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(scannedOnly, "scannedOnly");
    Objects.requireNonNull(reusedScans, "reusedScans");
    for (String name : base.storeNames()) {
      stores.put(name, new OverlayKeyValueStore(base.store(name), cache, scannedOnly, reusedScans));
    }
  }

  @Override
  public String taskId() {
    return base.taskId();
  }

  @Override
  public Set<String> storeNames() {
    return base.storeNames();
  }

  @Override
  public KeyValueStore store(String name) {
    Objects.requireNonNull(name, "name");
    OverlayKeyValueStore store = stores.get(name);
    if (store == null) {
      throw Names.unknownStore(base.taskId(), name, stores.keySet());
    }
    return store;
  }

  @Override
  public Map<String, Long> committedOffsets() {
    return base.committedOffsets();
  }

  @Override
  public long uncommittedBytes() {
    long total = 0;
    for (OverlayKeyValueStore store : stores.values()) {
      total += store.pendingBytes();
    }
    return total;
  }

  @Override
  public int pendingWriteCount() {
    int total = 0;
    for (OverlayKeyValueStore store : stores.values()) {
      total += store.pendingCount();
    }
    return total;
  }

  @Override
  public void forEachPendingWrite(PendingWriteVisitor visitor) {
    Objects.requireNonNull(visitor, "visitor");
    for (OverlayKeyValueStore store : stores.values()) {
      store.forEachPendingWrite(visitor);
    }
  }

  @Override
  public void commit(Map<String, Long> newOffsets) {
    OffsetChecks.checkAll(newOffsets);
    if (batch == null) {
      batch = base.newWriteBatch();
    } else {
      batch.clear();
    }
    StateWriteBatch b = batch;
    long[] bytes = {0};
    try {
      forEachPendingWrite(
          (store, key, value) -> {
            if (value == null) {
              b.delete(store, key);
              bytes[0] += key.length;
            } else if (!storedElsewhere.test(key)) {
              b.put(store, key, value);
              bytes[0] += key.length + value.length;
            }
          });
      newOffsets.forEach(b::putOffset);
      base.applyBatch(b);
    } catch (RuntimeException | Error e) {
      // A half-filled batch is cleared by the next commit; a failed one is not kept at all.
      dropBatch(b);
      throw e;
    }
    if (bytes[0] > RETAINED_BATCH_BYTES) {
      dropBatch(b);
    }
    stores.values().forEach(OverlayKeyValueStore::committed);
  }

  @Override
  public void abort() {
    stores.values().forEach(OverlayKeyValueStore::clear);
    StateWriteBatch b = batch;
    if (b != null) {
      dropBatch(b);
    }
  }

  /** Closes the task's batch {@code b}; the next commit starts a new one. */
  private void dropBatch(StateWriteBatch b) {
    batch = null;
    b.close();
  }

  @Override
  public String toString() {
    return "OverlayTaskState{" + base.taskId() + ", pending=" + pendingWriteCount() + "}";
  }
}
