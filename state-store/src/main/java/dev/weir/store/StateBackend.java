package dev.weir.store;

import java.util.Collection;
import java.util.Set;

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
 * <p><b>Threading.</b> Every method is thread-safe: stream threads open their tasks concurrently,
 * and a cleaner may delete unused state at the same time. Each opened {@link TaskStateStore} is
 * then confined to one thread.
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
   * restores everything from the changelog. Deleting absent state is not an error. An {@link #open}
   * of the task that starts meanwhile waits until the delete is done.
   *
   * @param taskId the task id
   * @throws IllegalArgumentException if the id is invalid
   * @throws IllegalStateException if the task is open, or the backend is closed
   * @throws StateStoreException if files cannot be deleted
   */
  void deleteState(String taskId);

  /**
   * Returns the tasks whose state this backend keeps locally, open or not: for RocksDB, the task
   * directories under the state directory, including those left by an earlier run; nothing for the
   * in-memory backend, which drops a task's state when it closes.
   *
   * @return an unmodifiable, sorted set of task ids; never null
   * @throws StateStoreException if the state directory cannot be read
   */
  Set<String> storedTasks();

  /**
   * Deletes the local state of a task unless it is in use: unless it is open, being opened, or was
   * last opened or closed at or after {@code unusedSinceMs}. For cleaning up tasks that moved to
   * other instances. The check and the delete are atomic with respect to {@link #open}: they never
   * run while the task is open or being opened, and an open that starts meanwhile waits until the
   * delete is done (and then starts empty). A persistent backend leaves alone a task directory that
   * holds anything but its own files.
   *
   * @param taskId the task id
   * @param unusedSinceMs a time in epoch milliseconds: state last used before it is deleted
   * @return true if local state was deleted; false if the task is in use, was used since {@code
   *     unusedSinceMs}, or has no local state to delete
   * @throws IllegalArgumentException if the id is invalid
   * @throws IllegalStateException if the backend is closed
   * @throws StateStoreException if the state cannot be checked or its files cannot be deleted
   */
  boolean deleteUnusedState(String taskId, long unusedSinceMs);

  /**
   * Closes task states still open (logging each as a leak), then releases the shared resources.
   * Idempotent. Call it after every stream thread has stopped.
   */
  @Override
  void close();
}
