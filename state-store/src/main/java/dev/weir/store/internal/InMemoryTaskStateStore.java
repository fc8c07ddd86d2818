package dev.weir.store.internal;

import dev.weir.store.KeyValueStore;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/** Heap state of one task. Batches cannot fail half-way: they are validated when built. */
final class InMemoryTaskStateStore implements TaskStateStore {
  private final String taskId;
  private final OpenTasks registry;
  private final Map<String, InMemoryKeyValueStore> stores = new TreeMap<>();
  private final Map<String, Long> offsets = new TreeMap<>();
  private boolean closed;
  private final java.util.function.Predicate<byte[]> batchesStoredWhole;

  @Override
  public java.util.function.Predicate<byte[]> batchesStoredWhole() {
    return batchesStoredWhole;
  }

  InMemoryTaskStateStore(String taskId, Set<String> storeNames, OpenTasks registry) {
    this(taskId, storeNames, registry, scope -> false);
  }

  InMemoryTaskStateStore(
      String taskId,
      Set<String> storeNames,
      OpenTasks registry,
      java.util.function.Predicate<byte[]> batchesStoredWhole) {
    this.batchesStoredWhole = batchesStoredWhole;
    this.taskId = taskId;
    this.registry = registry;
    for (String name : storeNames) {
      stores.put(name, new InMemoryKeyValueStore(name, this));
    }
  }

  @Override
  public String taskId() {
    return taskId;
  }

  @Override
  public Set<String> storeNames() {
    return Collections.unmodifiableSet(stores.keySet());
  }

  @Override
  public KeyValueStore store(String name) {
    ensureOpen();
    return storeImpl(name);
  }

  @Override
  public Map<String, Long> committedOffsets() {
    ensureOpen();
    return Collections.unmodifiableMap(new TreeMap<>(offsets));
  }

  @Override
  public StateWriteBatch newWriteBatch() {
    ensureOpen();
    return new InMemoryWriteBatch(this);
  }

  @Override
  public void applyBatch(StateWriteBatch batch) {
    Objects.requireNonNull(batch, "batch");
    ensureOpen();
    if (!(batch instanceof InMemoryWriteBatch ours) || ours.owner() != this || ours.isClosed()) {
      throw new IllegalArgumentException(
          "Batch was not created by the open state of task " + taskId + " or is closed");
    }
    // The batch's arrays are private copies that nothing mutates, so the maps may share them.
    for (InMemoryWriteBatch.Operation operation : ours.operations()) {
      if (operation.value() == null) {
        operation.store().deleteTrusted(operation.key());
      } else {
        operation.store().putTrusted(operation.key(), operation.value());
      }
    }
    offsets.putAll(ours.offsets());
  }

  @Override
  public void applyBatchWithoutWal(StateWriteBatch batch) {
    applyBatch(batch);
  }

  @Override
  public void flush() {
    ensureOpen();
  }

  @Override
  public Path directory() {
    return null;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      stores.clear();
      offsets.clear();
      registry.release(taskId);
    }
  }

  InMemoryKeyValueStore storeImpl(String name) {
    Objects.requireNonNull(name, "name");
    InMemoryKeyValueStore store = stores.get(name);
    if (store == null) {
      throw Names.unknownStore(taskId, name, stores.keySet());
    }
    return store;
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("State of task " + taskId + " is closed");
    }
  }

  @Override
  public String toString() {
    return "InMemoryTaskStateStore{" + taskId + "}";
  }
}
