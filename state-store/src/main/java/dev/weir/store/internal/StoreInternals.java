package dev.weir.store.internal;

import dev.weir.store.KeyValueStore;
import dev.weir.store.OutsideWrites;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateCache;
import dev.weir.store.TaskStateStore;
import dev.weir.store.TransactionalTaskState;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The one door from the public package {@code dev.weir.store} into the implementations, which stay
 * package-private. Not an API: users go through {@code StateBackends} and {@code
 * TransactionalTaskState.wrap}.
 */
public final class StoreInternals {
  private StoreInternals() {}

  /**
   * Creates the RocksDB backend.
   *
   * @param settings the settings
   * @return the backend
   */
  public static StateBackend rocksDbBackend(RocksDbSettings settings) {
    return new RocksDbBackend(Objects.requireNonNull(settings, "settings"));
  }

  /**
   * Creates the in-memory backend.
   *
   * @param batchesStoredWhole the scopes whose batches its stores keep whole
   * @return the backend
   */
  public static StateBackend inMemoryBackend(Predicate<byte[]> batchesStoredWhole) {
    return new InMemoryBackend(batchesStoredWhole);
  }

  /**
   * Wraps a task state in the transactional overlay.
   *
   * @param base the committed state
   * @param cache the budget of its write-back cache
   * @return the transactional view
   */
  public static TransactionalTaskState transactional(TaskStateStore base, StateCache cache) {
    return new OverlayTaskState(base, cache, key -> false, key -> true, key -> false);
  }

  /**
   * Wraps a task state in the transactional overlay, with keys that are read only by range scans.
   *
   * @param base the committed state
   * @param cache the budget of its write-back cache
   * @param scannedOnly the keys kept out of the cache's clean entries
   * @param reusedScans the start keys of the bounded ranges whose scans note their committed keys
   * @return the transactional view
   */
  public static TransactionalTaskState transactional(
      TaskStateStore base,
      StateCache cache,
      Predicate<byte[]> scannedOnly,
      Predicate<byte[]> reusedScans) {
    return new OverlayTaskState(base, cache, scannedOnly, reusedScans, key -> false);
  }

  /**
   * Wraps a task state in the transactional overlay, with keys that are read only by range scans
   * and keys whose puts the commit does not apply to the base.
   *
   * @param base the committed state
   * @param cache the budget of its write-back cache
   * @param scannedOnly the keys kept out of the cache's clean entries
   * @param reusedScans the start keys of the bounded ranges whose scans note their committed keys
   * @param storedElsewhere keys whose puts the commit leaves out of the base; a subset of {@code
   *     scannedOnly}
   * @return the transactional view
   */
  public static TransactionalTaskState transactional(
      TaskStateStore base,
      StateCache cache,
      Predicate<byte[]> scannedOnly,
      Predicate<byte[]> reusedScans,
      Predicate<byte[]> storedElsewhere) {
    return new OverlayTaskState(base, cache, scannedOnly, reusedScans, storedElsewhere);
  }

  /**
   * Attaches puts kept outside the overlay to a store of a transactional task state.
   *
   * @param store a store of {@link #transactional}'s result
   * @param writes the owner's puts
   * @throws IllegalArgumentException if {@code store} is not such a store
   */
  public static void attach(KeyValueStore store, OutsideWrites writes) {
    if (!(store instanceof OverlayKeyValueStore overlay)) {
      throw new IllegalArgumentException(
          "Store '" + store.name() + "' is not a transactional store: " + store.getClass());
    }
    overlay.attach(Objects.requireNonNull(writes, "writes"));
  }
}
