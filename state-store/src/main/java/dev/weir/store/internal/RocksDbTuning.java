package dev.weir.store.internal;

import dev.weir.store.RocksDbOptionsSetter;
import dev.weir.store.RocksDbSettings;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.WriteBufferManager;

/**
 * The native resources one backend shares across all its tasks, and the options every task is
 * opened with. Memory bound: one LRU cache holds data blocks, index and filter blocks, and (through
 * the write-buffer manager) the memtables of every column family of every task.
 *
 * <p>Close order: the backend closes this only after every task's RocksDB instance and options are
 * closed, since they reference the cache, manager and filter.
 */
final class RocksDbTuning implements AutoCloseable {
  static final long WRITE_BUFFER_BYTES = 16L << 20;
  static final long METADATA_WRITE_BUFFER_BYTES = 1L << 20;
  static final int MAX_WRITE_BUFFER_NUMBER = 4;

  /** Threads flushing memtables, shared by every RocksDB instance of the process. */
  static final int FLUSH_THREADS = 2;

  /**
   * Memtable allocation unit. RocksDB's default (an eighth of the write buffer, at most 1 MiB) is
   * reserved by every non-empty memtable; with dozens of tasks times stores that floor alone
   * exceeds the shared write-buffer budget, and the write-buffer manager then flushes on nearly
   * every write.
   */
  static final long ARENA_BLOCK_BYTES = 64L << 10;

  static final long BLOCK_SIZE_BYTES = 16L << 10;
  static final double BLOOM_BITS_PER_KEY = 10;
  static final double HIGH_PRIORITY_POOL_RATIO = 0.1;
  static final long KEEP_LOG_FILE_NUM = 3;

  private final RocksDbOptionsSetter optionsSetter;
  private final LRUCache cache;
  private final WriteBufferManager writeBufferManager;
  private final BloomFilter filter;

  RocksDbTuning(RocksDbSettings settings) {
    this.optionsSetter = settings.optionsSetter();
    long writeBufferBytes = (long) (settings.memoryBytes() * settings.writeBufferFraction());
    this.cache = new LRUCache(settings.memoryBytes(), -1, false, HIGH_PRIORITY_POOL_RATIO);
    this.writeBufferManager = new WriteBufferManager(writeBufferBytes, cache);
    this.filter = new BloomFilter(BLOOM_BITS_PER_KEY);
    // Memtable flushes of all RocksDB instances in the process share the default environment's
    // high-priority pool, one thread by default: with several tasks restoring at once the writers
    // stalled on full memtables (design record 004). The pool only ever grows.
    org.rocksdb.Env.getDefault().setBackgroundThreads(FLUSH_THREADS, org.rocksdb.Priority.HIGH);
  }

  /** Creates the options of one task's instance; the caller closes them after the instance. */
  DBOptions dbOptions(String taskId) {
    DBOptions options = new DBOptions();
    try {
      options
          .setCreateIfMissing(true)
          .setCreateMissingColumnFamilies(true)
          .setWriteBufferManager(writeBufferManager)
          // Data and offsets live in different column families; with the WAL disabled during
          // restore only an atomic flush keeps what survives a crash consistent across them.
          .setAtomicFlush(true)
          .setKeepLogFileNum(KEEP_LOG_FILE_NUM);
      optionsSetter.setDbOptions(taskId, options);
      return options;
    } catch (RuntimeException | Error e) {
      options.close();
      throw e;
    }
  }

  /** Creates the options of one store's column family, after the user's hook. */
  ColumnFamilyOptions storeOptions(String taskId, String storeName) {
    ColumnFamilyOptions options = baseOptions(WRITE_BUFFER_BYTES);
    try {
      optionsSetter.setColumnFamilyOptions(taskId, storeName, options);
      return options;
    } catch (RuntimeException | Error e) {
      options.close();
      throw e;
    }
  }

  /** Creates the options of the metadata column family; the user's hook is not applied. */
  ColumnFamilyOptions metadataOptions() {
    return baseOptions(METADATA_WRITE_BUFFER_BYTES);
  }

  void taskClosed(String taskId) {
    optionsSetter.close(taskId);
  }

  LRUCache cache() {
    return cache;
  }

  private ColumnFamilyOptions baseOptions(long writeBufferBytes) {
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setBlockSize(BLOCK_SIZE_BYTES)
            .setFilterPolicy(filter)
            .setCacheIndexAndFilterBlocks(true)
            .setCacheIndexAndFilterBlocksWithHighPriority(true)
            .setPinL0FilterAndIndexBlocksInCache(true);
    return new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setWriteBufferSize(writeBufferBytes)
        .setArenaBlockSize(ARENA_BLOCK_BYTES)
        .setMaxWriteBufferNumber(MAX_WRITE_BUFFER_NUMBER);
  }

  @Override
  public void close() {
    filter.close();
    writeBufferManager.close();
    cache.close();
  }
}
