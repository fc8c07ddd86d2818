package dev.weir.store;

import java.util.Collection;

/**
 * Opens task state. One backend exists per application instance and holds the resources all its
 * tasks share: for RocksDB, the block cache and write-buffer budget that bound native memory across
 * every task of the instance. Obtain one from {@link StateBackends}.
 *
 * <pre>{@code
 * StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(Path.of("/var/lib/weir/app")));
 * try (TaskStateStore state = backend.open("0_1", List.of("op.count", "op.timers"))) {
 *   ...
 * }
 * backend.close();
 * }</pre>
 *
 * <p><b>Threading.</b> {@link #open}, {@link #deleteState} and {@link #close} are thread-safe:
 * stream threads open their tasks concurrently. Each opened {@link TaskStateStore} is then confined
 * to one thread.
 */
public interface StateBackend extends AutoCloseable {

  /**
   * Opens the state of a task, creating missing stores. A persistent backend reopens the state left
   * by an earlier run, with its committed data and offsets.
   *
   * @param taskId the task id; letters, digits, {@code '.'}, {@code '_'} and {@code '-'} only, as
   *     it names a directory
   * @param storeNames the stores the task needs; may be empty, each non-empty and not {@code
   *     "default"} (reserved for metadata)
   * @return the open task state, which the caller must close; never null
   * @throws IllegalArgumentException if an id or name is invalid
   * @throws IllegalStateException if the task is already open in this backend, or the backend is
   *     closed
   * @throws StateStoreException if the state cannot be opened, for example because another process
   *     holds its directory
   */
  TaskStateStore open(String taskId, Collection<String> storeNames);

  /**
   * Deletes the local state of a task that is not open, so its next {@link #open} starts empty and
   * restores everything from the changelog. Deleting absent state is not an error.
   *
   * @param taskId the task id
   * @throws IllegalStateException if the task is open
   * @throws StateStoreException if files cannot be deleted
   */
  void deleteState(String taskId);

  /**
   * Closes task states still open (logging each as a leak), then releases the shared resources.
   * Idempotent. Call it after every stream thread has stopped.
   */
  @Override
  void close();
}
