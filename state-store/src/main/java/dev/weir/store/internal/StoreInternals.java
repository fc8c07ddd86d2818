package dev.weir.store.internal;

import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateCache;
import dev.weir.store.TaskStateStore;
import dev.weir.store.TransactionalTaskState;
import java.util.Objects;

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
   * @return the backend
   */
  public static StateBackend inMemoryBackend() {
    return new InMemoryBackend();
  }

  /**
   * Wraps a task state in the transactional overlay.
   *
   * @param base the committed state
   * @param cache the budget of its write-back cache
   * @return the transactional view
   */
  public static TransactionalTaskState transactional(TaskStateStore base, StateCache cache) {
    return new OverlayTaskState(base, cache);
  }
}
