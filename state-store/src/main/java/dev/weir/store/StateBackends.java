package dev.weir.store;

import dev.weir.store.internal.StoreInternals;

/**
 * The catalog of state backends.
 *
 * <pre>{@code
 * StateBackend production = StateBackends.rocksDb(RocksDbSettings.of(stateDir));
 * StateBackend tests = StateBackends.inMemory();
 * }</pre>
 */
public final class StateBackends {
  private StateBackends() {}

  /**
   * Returns the production backend: one RocksDB instance per task under {@code
   * <stateDirectory>/<taskId>/rocksdb}, one column family per store, changelog offsets in the same
   * instance, and native memory bounded across all tasks by {@link RocksDbSettings#memoryBytes()}.
   * Loads the RocksDB native library on first use.
   *
   * @param settings the settings; not null
   * @return a new backend that the caller must close; never null
   * @throws StateStoreException if the native library cannot be loaded or the state directory
   *     cannot be created
   */
  public static StateBackend rocksDb(RocksDbSettings settings) {
    return StoreInternals.rocksDbBackend(settings);
  }

  /**
   * Returns a backend that keeps state on the heap, for tests and small state. Nothing survives
   * {@link TaskStateStore#close()}, so every open starts empty and restores from the changelog.
   *
   * @return a new backend; never null
   */
  public static StateBackend inMemory() {
    return StoreInternals.inMemoryBackend(scope -> false);
  }

  /**
   * As {@link #inMemory()}, with stores that keep the batch records of the scopes {@code
   * batchesStoredWhole} accepts whole (see {@link RocksDbSettings#withBatchesStoredWhole}).
   *
   * @param batchesStoredWhole accepts the scopes whose batches are stored whole; not null
   * @return a new backend; never null
   */
  public static StateBackend inMemory(java.util.function.Predicate<byte[]> batchesStoredWhole) {
    return StoreInternals.inMemoryBackend(
        java.util.Objects.requireNonNull(batchesStoredWhole, "batchesStoredWhole"));
  }
}
