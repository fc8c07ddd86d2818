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
 */
final class OverlayTaskState implements TransactionalTaskState {
  private final TaskStateStore base;
  private final Map<String, OverlayKeyValueStore> stores = new TreeMap<>();

  OverlayTaskState(TaskStateStore base, StateCache cache, Predicate<byte[]> scannedOnly) {
    this.base = Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(scannedOnly, "scannedOnly");
    for (String name : base.storeNames()) {
      stores.put(name, new OverlayKeyValueStore(base.store(name), cache, scannedOnly));
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
    try (StateWriteBatch batch = base.newWriteBatch()) {
      forEachPendingWrite(
          (store, key, value) -> {
            if (value == null) {
              batch.delete(store, key);
            } else {
              batch.put(store, key, value);
            }
          });
      newOffsets.forEach(batch::putOffset);
      base.applyBatch(batch);
    }
    stores.values().forEach(OverlayKeyValueStore::committed);
  }

  @Override
  public void abort() {
    stores.values().forEach(OverlayKeyValueStore::clear);
  }

  @Override
  public String toString() {
    return "OverlayTaskState{" + base.taskId() + ", pending=" + pendingWriteCount() + "}";
  }
}
