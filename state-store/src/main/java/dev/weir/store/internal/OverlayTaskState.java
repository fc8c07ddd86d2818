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
   * A commit that wrote more key and value bytes than this is large. Each task keeps its batch's
   * buffer between commits, but a large commit keeps it only when the commit before it was large
   * too (a task that commits that much every time reuses its buffer instead of growing a new one
   * from a few KiB at each commit), and the first commit that is not large again lets a buffer
   * grown by large ones go. So a task pins a large buffer only while its commits need one, and an
   * occasional large commit pins nothing.
   */
  static final long RETAINED_BATCH_BYTES = 1 << 20;

  // Whether the last commit wrote more than RETAINED_BATCH_BYTES, and whether the batch kept
  // served a commit that did.
  private boolean lastCommitLarge;
  private boolean batchGrownLarge;

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
      batch = null;
      batchGrownLarge = false;
      b.close();
      throw e;
    }
    boolean large = bytes[0] > RETAINED_BATCH_BYTES;
    if (large ? !lastCommitLarge : batchGrownLarge) {
      // The first large commit after small ones, or the first small one after the batch grew.
      batch = null;
      batchGrownLarge = false;
      b.close();
    } else if (large) {
      batchGrownLarge = true;
    }
    lastCommitLarge = large;
    stores.values().forEach(OverlayKeyValueStore::committed);
  }

  @Override
  public void abort() {
    stores.values().forEach(OverlayKeyValueStore::clear);
    StateWriteBatch b = batch;
    if (b != null) {
      batch = null;
      batchGrownLarge = false;
      b.close();
    }
  }

  @Override
  public String toString() {
    return "OverlayTaskState{" + base.taskId() + ", pending=" + pendingWriteCount() + "}";
  }
}
