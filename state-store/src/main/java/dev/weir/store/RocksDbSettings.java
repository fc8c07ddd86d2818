package dev.weir.store;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Settings of the RocksDB backend: an immutable value, built from a state directory with {@code
 * with...} methods.
 *
 * <pre>{@code
 * RocksDbSettings settings = RocksDbSettings.of(Path.of("/var/lib/weir/my-app"))
 *     .withMemoryBytes(512L << 20)
 *     .withWriteBufferFraction(0.4);
 * StateBackend backend = StateBackends.rocksDb(settings);
 * }</pre>
 *
 * <p><b>Memory.</b> All tasks of a backend share one LRU block cache of {@link #memoryBytes()}
 * bytes. Memtables are charged to the same cache through a write-buffer manager whose limit is
 * {@link #writeBufferFraction()} of it, and index and filter blocks live in the cache too, so the
 * native memory of all of an instance's stores stays close to {@code memoryBytes} however many
 * tasks it runs. The limit is soft: RocksDB may briefly exceed it rather than fail reads.
 */
public final class RocksDbSettings {
  /** Default total native memory for all tasks of an instance: 128 MiB. */
  public static final long DEFAULT_MEMORY_BYTES = 128L << 20;

  /** Default share of the memory that memtables may use: one half. */
  public static final double DEFAULT_WRITE_BUFFER_FRACTION = 0.5;

  /** Smallest accepted memory budget: 1 MiB. */
  public static final long MIN_MEMORY_BYTES = 1L << 20;

  private static final RocksDbOptionsSetter NO_OPTIONS_SETTER = new RocksDbOptionsSetter() {};

  private final Path stateDirectory;
  private final long memoryBytes;
  private final double writeBufferFraction;
  private final RocksDbOptionsSetter optionsSetter;
  private final Predicate<byte[]> batchesStoredWhole;
  private final boolean commitWal;

  private static final Predicate<byte[]> NO_SCOPES = scope -> false;

  private RocksDbSettings(
      Path stateDirectory,
      long memoryBytes,
      double writeBufferFraction,
      RocksDbOptionsSetter optionsSetter,
      Predicate<byte[]> batchesStoredWhole,
      boolean commitWal) {
    this.stateDirectory = stateDirectory;
    this.memoryBytes = memoryBytes;
    this.writeBufferFraction = writeBufferFraction;
    this.optionsSetter = optionsSetter;
    this.batchesStoredWhole = batchesStoredWhole;
    this.commitWal = commitWal;
  }

  /**
   * Creates settings with defaults for everything but the state directory.
   *
   * @param stateDirectory the directory under which each task gets {@code <taskId>/rocksdb};
   *     created when missing
   * @return the settings; never null
   */
  public static RocksDbSettings of(Path stateDirectory) {
    return new RocksDbSettings(
        Objects.requireNonNull(stateDirectory, "stateDirectory"),
        DEFAULT_MEMORY_BYTES,
        DEFAULT_WRITE_BUFFER_FRACTION,
        NO_OPTIONS_SETTER,
        NO_SCOPES,
        true);
  }

  /**
   * Returns a copy with another total memory budget.
   *
   * @param bytes block cache capacity shared by all tasks, memtables included; at least {@link
   *     #MIN_MEMORY_BYTES}
   * @return the new settings; never null
   * @throws IllegalArgumentException if {@code bytes} is too small
   */
  public RocksDbSettings withMemoryBytes(long bytes) {
    if (bytes < MIN_MEMORY_BYTES) {
      throw new IllegalArgumentException(
          "memoryBytes must be at least " + MIN_MEMORY_BYTES + " but was " + bytes);
    }
    return new RocksDbSettings(
        stateDirectory, bytes, writeBufferFraction, optionsSetter, batchesStoredWhole, commitWal);
  }

  /**
   * Returns a copy with another share of memory for memtables.
   *
   * @param fraction the share, strictly between 0 and 1
   * @return the new settings; never null
   * @throws IllegalArgumentException if {@code fraction} is out of range
   */
  public RocksDbSettings withWriteBufferFraction(double fraction) {
    if (!(fraction > 0.0 && fraction < 1.0)) {
      throw new IllegalArgumentException(
          "writeBufferFraction must be strictly between 0 and 1 but was " + fraction);
    }
    return new RocksDbSettings(
        stateDirectory, memoryBytes, fraction, optionsSetter, batchesStoredWhole, commitWal);
  }

  /**
   * Returns a copy with a tuning hook.
   *
   * @param setter the hook, called for every task opened; not null
   * @return the new settings; never null
   */
  public RocksDbSettings withOptionsSetter(RocksDbOptionsSetter setter) {
    return new RocksDbSettings(
        stateDirectory,
        memoryBytes,
        writeBufferFraction,
        Objects.requireNonNull(setter, "setter"),
        batchesStoredWhole,
        commitWal);
  }

  /**
   * Returns a copy whose task stores keep the batch records of the scopes {@code scopes} accepts
   * whole: a restore writes such a record as one entry, its batch key with the record's value, and
   * does not split it into its entries (design record 039, a window's list). The owner of the
   * stores must read such scopes from their batch keys, and writes them the same way when it
   * commits ({@link TaskStateStore#batchesStoredWhole()}). A task store opened with such a rule
   * notes it in its metadata, so that a Weir release that predates it refuses the store instead of
   * misreading it. Given a {@link BatchScopeRule}, the stores hand it out as it is, and their owner
   * can test the scope of a batch key without copying it ({@link
   * ChangelogFormat#batchScopeMatches}).
   *
   * @param scopes accepts the scopes (see {@link ChangelogFormat#batchScope}) stored whole; must be
   *     cheap and always answer the same for the same scope; not null
   * @return the new settings; never null
   */
  public RocksDbSettings withBatchesStoredWhole(Predicate<byte[]> scopes) {
    return new RocksDbSettings(
        stateDirectory,
        memoryBytes,
        writeBufferFraction,
        optionsSetter,
        Objects.requireNonNull(scopes, "scopes"),
        commitWal);
  }

  /**
   * Returns the rule of {@link #withBatchesStoredWhole}.
   *
   * @return the scopes whose batches are stored whole (none by default); never null
   */
  public Predicate<byte[]> batchesStoredWhole() {
    return batchesStoredWhole;
  }

  /**
   * Returns whether {@link #withBatchesStoredWhole} set a rule.
   *
   * @return true when some scopes' batches are stored whole
   */
  public boolean storesSomeBatchesWhole() {
    return batchesStoredWhole != NO_SCOPES;
  }

  /**
   * Returns a copy that writes commits ({@link TaskStateStore#applyBatch}) with or without
   * RocksDB's write-ahead log. With it (the default) a batch survives a process crash once applied,
   * so a task killed with {@code kill -9} replays only the changelog records written after its last
   * commit. Without it a crash loses what RocksDB had not flushed yet, data and offsets together
   * (atomic flush), and the restore replays the changelog from the last flush: at most about the
   * write buffers' contents. Each commit costs less CPU without it (design record 045).
   *
   * @param enabled whether commits go through the write-ahead log
   * @return the new settings; never null
   */
  public RocksDbSettings withCommitWal(boolean enabled) {
    return new RocksDbSettings(
        stateDirectory,
        memoryBytes,
        writeBufferFraction,
        optionsSetter,
        batchesStoredWhole,
        enabled);
  }

  /**
   * Returns whether commits go through RocksDB's write-ahead log ({@link #withCommitWal}).
   *
   * @return true by default
   */
  public boolean commitWal() {
    return commitWal;
  }

  /**
   * Returns the state directory.
   *
   * @return the directory; never null
   */
  public Path stateDirectory() {
    return stateDirectory;
  }

  /**
   * Returns the total native memory budget shared by all tasks.
   *
   * @return bytes; at least {@link #MIN_MEMORY_BYTES}
   */
  public long memoryBytes() {
    return memoryBytes;
  }

  /**
   * Returns the share of {@link #memoryBytes()} that memtables may use.
   *
   * @return a fraction strictly between 0 and 1
   */
  public double writeBufferFraction() {
    return writeBufferFraction;
  }

  /**
   * Returns the tuning hook.
   *
   * @return the hook (a no-op one by default); never null
   */
  public RocksDbOptionsSetter optionsSetter() {
    return optionsSetter;
  }

  @Override
  public String toString() {
    return "RocksDbSettings{stateDirectory="
        + stateDirectory
        + ", memoryBytes="
        + memoryBytes
        + ", writeBufferFraction="
        + writeBufferFraction
        + "}";
  }
}
