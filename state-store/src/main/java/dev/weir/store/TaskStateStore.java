package dev.weir.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * All state stores of one task, plus the changelog offsets their content corresponds to, kept
 * together so that data and offsets always change atomically. The RocksDB backend keeps one RocksDB
 * instance per task with one column family per store, and the offsets inside the same instance; the
 * in-memory backend keeps everything on the heap and nothing survives {@link #close()}.
 *
 * <pre>{@code
 * try (TaskStateStore state = backend.open("1_3", List.of("counter-op.count"))) {
 *   Map<String, Long> offsets = state.committedOffsets(); // where changelog restore resumes
 *   KeyValueStore counts = state.store("counter-op.count");
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Writes.</b> Writes through {@link #store(String)} and {@link #applyBatch(StateWriteBatch)}
 * are applied at once to the committed state. Under exactly-once the runtime writes only through a
 * {@link TransactionalTaskState} wrapping this object, which calls {@code applyBatch} after the
 * Kafka transaction has committed.
 *
 * <p><b>Threading.</b> Not thread-safe: owned by the one thread that processes the task. One
 * exception, for interactive queries: other threads may call the read methods of {@link
 * #store(String)}'s stores ({@code get}, {@code range}, {@code forEachKey}, {@code prefixScan},
 * {@code all}) concurrently with the owner's reads, provided the caller excludes every write,
 * {@link #applyBatch}, {@link #applyBatchWithoutWal} and {@link #close()} while they run (the
 * library does so with a read-write lock around its commits).
 *
 * <p><b>Failures.</b> Any method other than {@link #close()} throws {@link IllegalStateException}
 * once closed, and {@link StateStoreException} when the backend fails.
 */
public interface TaskStateStore extends AutoCloseable {

  /**
   * Returns the task this state belongs to.
   *
   * @return the task id given to {@link StateBackend#open}; never null
   */
  String taskId();

  /**
   * Returns the names of all stores of this task: those requested at open and, for a persistent
   * backend, those found in the existing state directory.
   *
   * @return an unmodifiable, sorted set; never null
   */
  Set<String> storeNames();

  /**
   * Returns a store. The returned object stays valid until this task state is closed.
   *
   * @param name a name in {@link #storeNames()}
   * @return the store; never null
   * @throws IllegalArgumentException if there is no such store
   */
  KeyValueStore store(String name);

  /**
   * Returns the committed changelog offsets: for each changelog topic-partition (in {@code
   * TopicPartition} string form), the offset of the first changelog record not reflected in the
   * state. Restore resumes there; a partition that is absent is restored from its beginning.
   *
   * @return an unmodifiable snapshot; never null, empty for fresh state
   */
  Map<String, Long> committedOffsets();

  /**
   * Creates an empty write batch bound to this task state.
   *
   * @return a batch that the caller must close; never null
   */
  StateWriteBatch newWriteBatch();

  /**
   * Applies a batch atomically (data and offsets together) and durably: with RocksDB it goes
   * through the write-ahead log, so it survives a process crash once this method returns; unless
   * the backend was configured without it ({@code RocksDbSettings#withCommitWal(false)}), when it
   * is applied as {@link #applyBatchWithoutWal} applies it.
   *
   * @param batch a batch created by this task state's {@link #newWriteBatch()}
   * @throws IllegalArgumentException if the batch belongs to another task state or is closed
   */
  void applyBatch(StateWriteBatch batch);

  /**
   * Applies a batch atomically without the write-ahead log, for bulk loading (changelog restore).
   * After a crash before the next {@link #flush()}, a suffix of the batches applied this way may be
   * missing, but each batch is either entirely present or entirely absent, data and offsets
   * together, so a restore simply resumes from the offsets that survived. A later logged write
   * ({@link #applyBatch} or a store write) first flushes, so it can never survive a crash that an
   * earlier unlogged batch does not.
   *
   * @param batch a batch created by this task state's {@link #newWriteBatch()}
   * @throws IllegalArgumentException if the batch belongs to another task state or is closed
   */
  void applyBatchWithoutWal(StateWriteBatch batch);

  /**
   * Starts a {@link BulkLoad} into this task's stores, the faster way to write a large changelog
   * restore: sorted files handed to the backend instead of batches through its write path. The
   * caller records the changelog offsets only after each {@link BulkLoad#ingest()}, in a batch.
   *
   * <p>The default implementation returns null: the backend has no faster way than {@link
   * #applyBatchWithoutWal}, and the caller uses that instead (the in-memory backend).
   *
   * @return a bulk load the caller must close, or null when the backend has none
   * @throws IllegalStateException if this task state is closed
   */
  default BulkLoad newBulkLoad() {
    return null;
  }

  /**
   * Returns the scopes whose batch records (see {@link ChangelogFormat#batchKey}) this store keeps
   * whole, as one entry at the batch key holding the record's value, rather than as the batch's
   * entries and an empty marker (design record 039). A restore writes them so, and the owner must
   * write its own commits of such scopes the same way, so that the store always equals a restore of
   * its changelog.
   *
   * <p>The default implementation keeps none whole.
   *
   * @return a cheap predicate over scopes, the one the backend was given (a {@link BatchScopeRule}
   *     when it was given one); never null
   */
  default java.util.function.Predicate<byte[]> batchesStoredWhole() {
    return scope -> false;
  }

  /**
   * Called before the first batch record kept whole (see {@link #batchesStoredWhole()}) is written
   * to this store, by a commit or a restore; later calls are cheap. A store that outlives the
   * process notes in its metadata that it holds whole batches, so that a release which predates
   * that layout (and would read them as empty lists) refuses the state instead (design record 039).
   * A store that never holds one (no window lists) is never marked, and stays readable by older
   * releases.
   *
   * <p>The default implementation does nothing.
   */
  default void noteBatchStoredWhole() {}

  /** Persists all applied writes (RocksDB: flushes memtables to SST files). No-op in memory. */
  void flush();

  /**
   * Returns where this task's state lives on disk.
   *
   * @return the RocksDB directory ({@code <stateDir>/<taskId>/rocksdb}), or null for the in-memory
   *     backend
   */
  Path directory();

  /**
   * Releases the task's resources (and, for the in-memory backend, its data). Closes iterators the
   * caller forgot to close. Idempotent. Writes already applied stay durable; uncommitted writes of
   * a {@link TransactionalTaskState} wrapping this object are not applied.
   */
  @Override
  void close();
}
