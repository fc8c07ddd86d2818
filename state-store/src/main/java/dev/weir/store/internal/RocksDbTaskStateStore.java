package dev.weir.store.internal;

import dev.weir.store.BulkLoad;
import dev.weir.store.KeyValueStore;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateStoreException;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's RocksDB instance: a column family per store, and Weir's metadata (changelog offsets,
 * {@link MetadataFormat}) in the {@code default} column family, so a {@code WriteBatch} covers data
 * and offsets atomically.
 *
 * <p>Crash consistency: logged batches survive a process crash through the WAL. Unlogged batches
 * (restore) reach disk only by a flush, which is atomic across column families ({@code
 * atomic_flush}), so a crash keeps a prefix of them, each whole. A logged write after unlogged ones
 * first flushes: otherwise WAL replay could resurrect the later write, and its offsets, without the
 * earlier data.
 */
final class RocksDbTaskStateStore implements TaskStateStore {
  private static final Logger LOG = LoggerFactory.getLogger(RocksDbTaskStateStore.class);

  /**
   * Without the WAL, how old the last flush may be when a commit is applied before that commit
   * flushes: bounds what a crash makes the restore replay for a store too quiet to fill its write
   * buffers, and keeps that state from ageing past the changelog's delete retention.
   */
  static final long COMMIT_FLUSH_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final String taskId;
  private final Path directory;
  private final RocksDbInstance instance;
  private final OpenTasks registry;
  private final Predicate<byte[]> batchesStoredWhole;
  // False: commits skip the WAL as restores do (RocksDbSettings#withCommitWal, design record 045).
  private final boolean commitWal;

  private long commitFlushIntervalNanos = COMMIT_FLUSH_INTERVAL_NANOS;
  private long lastFlushNanos = System.nanoTime();
  private final Map<String, RocksDbKeyValueStore> stores = new TreeMap<>();
  private final Map<String, Long> offsets;
  private final WriteOptions loggedWrites = new WriteOptions();
  private final WriteOptions unloggedWrites = new WriteOptions().setDisableWAL(true);
  private final FlushOptions flushOptions = new FlushOptions().setWaitForFlush(true);
  // Concurrent: a reader thread (an interactive query) may open iterators while the owner thread
  // does; TaskStateStore's threading note says what else such a reader must exclude.
  private final Set<RocksDbIterator> openIterators = ConcurrentHashMap.newKeySet();

  /** The metadata column family's id, read once: {@code getID()} is a JNI call. */
  private final int metadataColumnFamilyId;

  private boolean unloggedSinceFlush;
  private boolean closed;

  RocksDbTaskStateStore(
      String taskId,
      Path directory,
      RocksDbInstance instance,
      Map<String, Long> offsets,
      OpenTasks registry,
      Predicate<byte[]> batchesStoredWhole,
      boolean commitWal) {
    this.taskId = taskId;
    this.commitWal = commitWal;
    this.batchesStoredWhole = batchesStoredWhole;
    this.directory = directory;
    this.instance = instance;
    this.offsets = new TreeMap<>(offsets);
    this.registry = registry;
    this.metadataColumnFamilyId = instance.metadataHandle().getID();
    instance
        .storeHandles()
        .forEach((name, handle) -> stores.put(name, new RocksDbKeyValueStore(name, this, handle)));
  }

  /** Opens the state of a task; on failure, everything opened so far is released. */
  static RocksDbTaskStateStore open(
      String taskId,
      Path directory,
      Set<String> storeNames,
      RocksDbTuning tuning,
      OpenTasks registry,
      RocksDbSettings settings) {
    String where = describe(taskId, directory);
    RocksDbInstance instance = RocksDbInstance.open(taskId, directory, storeNames, tuning);
    Map<String, Long> offsets;
    try {
      offsets = instance.readOffsets(where);
    } catch (RuntimeException e) {
      instance.close(where);
      throw e;
    }
    return new RocksDbTaskStateStore(
        taskId,
        directory,
        instance,
        offsets,
        registry,
        settings.batchesStoredWhole(),
        settings.commitWal());
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
  public Predicate<byte[]> batchesStoredWhole() {
    return batchesStoredWhole;
  }

  /** Whether the layout record is known to be in the metadata (design record 039). */
  private volatile boolean batchesWholeNoted;

  @Override
  public void noteBatchStoredWhole() {
    if (!batchesWholeNoted) {
      ensureOpen();
      instance.noteBatchesWhole(describe());
      batchesWholeNoted = true;
    }
  }

  @Override
  public StateWriteBatch newWriteBatch() {
    ensureOpen();
    return new RocksDbWriteBatch(this);
  }

  @Override
  public BulkLoad newBulkLoad() {
    ensureOpen();
    return new RocksDbBulkLoad(this, directory);
  }

  @Override
  public void applyBatch(StateWriteBatch batch) {
    write(batch, commitWal);
    if (!commitWal && System.nanoTime() - lastFlushNanos >= commitFlushIntervalNanos) {
      flush();
    }
  }

  /** For tests: how old the last flush may be before a commit without the WAL flushes. */
  void commitFlushInterval(long nanos) {
    commitFlushIntervalNanos = nanos;
  }

  @Override
  public void applyBatchWithoutWal(StateWriteBatch batch) {
    write(batch, false);
  }

  private void write(StateWriteBatch batch, boolean logged) {
    Objects.requireNonNull(batch, "batch");
    ensureOpen();
    if (!(batch instanceof RocksDbWriteBatch ours) || ours.owner() != this || ours.isClosed()) {
      throw new IllegalArgumentException(
          "Batch was not created by the open state of task " + taskId + " or is closed");
    }
    if (logged) {
      beforeLoggedWrite();
    } else {
      unloggedSinceFlush = true;
    }
    // One JNI call builds the native batch from the serialized bytes and one db.write applies it
    // whole, data and offsets together: the atomicity the crash consistency rests on.
    try (WriteBatch nativeBatch = ours.toNativeBatch()) {
      db().write(logged ? loggedWrites : unloggedWrites, nativeBatch);
    } catch (RocksDBException e) {
      throw failure("apply a write batch", e);
    }
    offsets.putAll(ours.offsets());
  }

  @Override
  public void flush() {
    ensureOpen();
    try {
      db().flush(flushOptions, instance.allHandles());
    } catch (RocksDBException e) {
      throw failure("flush", e);
    }
    unloggedSinceFlush = false;
    lastFlushNanos = System.nanoTime();
  }

  @Override
  public Path directory() {
    return directory;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeLeakedIterators();
      if (unloggedSinceFlush) {
        flushBeforeClose();
      }
    } finally {
      instance.close(describe());
      loggedWrites.close();
      unloggedWrites.close();
      flushOptions.close();
      RocksDbBackend.markUsed(directory.getParent());
      registry.release(taskId);
    }
  }

  private void closeLeakedIterators() {
    if (!openIterators.isEmpty()) {
      LOG.warn("{}: closing {} iterators left open", describe(), openIterators.size());
      for (RocksDbIterator iterator : new ArrayList<>(openIterators)) {
        iterator.close();
      }
    }
  }

  private void flushBeforeClose() {
    try {
      db().flush(flushOptions, instance.allHandles());
    } catch (RocksDBException e) {
      // Not fatal: the unflushed restore batches are lost with their offsets, so the next
      // open simply restores them again.
      LOG.warn("{}: flush before close failed; restore will repeat the lost part", describe(), e);
    }
  }

  RocksDbKeyValueStore storeImpl(String name) {
    Objects.requireNonNull(name, "name");
    RocksDbKeyValueStore store = stores.get(name);
    if (store == null) {
      throw Names.unknownStore(taskId, name, stores.keySet());
    }
    return store;
  }

  ColumnFamilyHandle metadataHandle() {
    return instance.metadataHandle();
  }

  int metadataColumnFamilyId() {
    return metadataColumnFamilyId;
  }

  RocksDB db() {
    return instance.db();
  }

  DBOptions dbOptions() {
    return instance.dbOptions();
  }

  ColumnFamilyOptions columnFamilyOptions(String storeName) {
    return instance.storeOptions(storeName);
  }

  WriteOptions loggedWrites() {
    beforeLoggedWrite();
    return loggedWrites;
  }

  RocksDbIterator newIterator(ColumnFamilyHandle handle, byte[] from, byte[] to) {
    RocksDbIterator iterator = new RocksDbIterator(this, handle, from, to);
    openIterators.add(iterator);
    return iterator;
  }

  /** Opens a raw iterator for internal lookups; the caller closes it. */
  RocksIterator rawIterator(ColumnFamilyHandle handle) {
    return db().newIterator(handle);
  }

  void iteratorClosed(RocksDbIterator iterator) {
    openIterators.remove(iterator);
  }

  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("State of task " + taskId + " is closed");
    }
  }

  StateStoreException failure(String action, Exception cause) {
    return new StateStoreException(describe() + ": failed to " + action, cause);
  }

  private void beforeLoggedWrite() {
    if (unloggedSinceFlush) {
      flush();
    }
  }

  private String describe() {
    return describe(taskId, directory);
  }

  private static String describe(String taskId, Path directory) {
    return "RocksDB state of task " + taskId + " in " + directory;
  }

  @Override
  public String toString() {
    return "RocksDbTaskStateStore{" + taskId + ", " + directory + "}";
  }
}
