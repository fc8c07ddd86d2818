package dev.weir.store;

import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * A user hook to tune RocksDB before a task's state is opened. Weir sets its defaults first (shared
 * block cache and write-buffer manager, bloom filters, LZ4 compression, index and filter blocks in
 * the cache, four write buffers per store, atomic flush), then calls this hook, so the hook wins.
 *
 * <pre>{@code
 * RocksDbSettings settings = RocksDbSettings.of(stateDir).withOptionsSetter(new RocksDbOptionsSetter() {
 *   public void setColumnFamilyOptions(String taskId, String storeName, ColumnFamilyOptions options) {
 *     if (storeName.endsWith(".timers")) {
 *       options.setWriteBufferSize(4L << 20);
 *     }
 *   }
 * });
 * }</pre>
 *
 * <p>Do not close the options objects passed in, and keep {@code atomic_flush} enabled: restore
 * relies on it for crash consistency. Replacing the table format config or write-buffer manager
 * takes the store out of the shared memory budget. Native objects the hook creates (a different
 * {@code Cache}, {@code Filter}, ...) should be released in {@link #close(String)}.
 *
 * <p><b>Threading.</b> Called on whichever thread opens or closes a task, possibly several at once
 * for different tasks; implementations must be thread-safe.
 */
public interface RocksDbOptionsSetter {

  /**
   * Adjusts the options of a task's RocksDB instance.
   *
   * @param taskId the task being opened; not null
   * @param options the options, already holding Weir's defaults; not null
   */
  default void setDbOptions(String taskId, DBOptions options) {}

  /**
   * Adjusts the options of one store (column family). Not called for Weir's internal metadata
   * column family.
   *
   * @param taskId the task being opened; not null
   * @param storeName the store; not null
   * @param options the options, already holding Weir's defaults; not null
   */
  default void setColumnFamilyOptions(
      String taskId, String storeName, ColumnFamilyOptions options) {}

  /**
   * Called after a task's RocksDB instance is closed and its options released: the place to release
   * native objects created in the other methods for this task.
   *
   * @param taskId the task that was closed; not null
   */
  default void close(String taskId) {}
}
