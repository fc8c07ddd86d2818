package dev.weir.store.internal;

import dev.weir.store.BulkLoad;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BulkLoad} into one task's RocksDB instance. Writes are copied into a {@link
 * BulkLoadBuffer} per store. Each {@link #ingest()} stable-sorts every store's buffered writes by
 * key (RocksDB's bytewise order), keeps the last write per key, writes them with an {@link
 * SstFileWriter} (the store's own column family options, so the file has its block size,
 * compression and bloom filter) into the instance directory and ingests the file into the store's
 * column family, moving it rather than copying it.
 *
 * <p>Why the result equals the write path's: an ingested file gets a sequence number above every
 * key in the instance (so it wins, and a later ingest wins over an earlier one), and RocksDB first
 * flushes a memtable that overlaps the file. With an empty store and keys that arrive roughly in
 * order, the files do not overlap and go straight to the bottom level: no memtable, no flush, no
 * compaction.
 *
 * <p>Files left by a crash between writing and ingesting carry a name RocksDB does not own ({@value
 * #FILE_PREFIX}...); the next bulk load of the task deletes them.
 */
final class RocksDbBulkLoad implements BulkLoad {
  static final String FILE_PREFIX = "weir-ingest-";

  private static final Logger LOG = LoggerFactory.getLogger(RocksDbBulkLoad.class);

  private final RocksDbTaskStateStore owner;
  private final Path directory;
  private final Map<String, BulkLoadBuffer> pending = new TreeMap<>();
  private final Map<String, Options> sstOptions = new TreeMap<>();
  private final EnvOptions envOptions = new EnvOptions();
  private final IngestExternalFileOptions ingestOptions =
      new IngestExternalFileOptions().setMoveFiles(true);
  private String lastStore;
  private BulkLoadBuffer lastBuffer;
  private int size;
  private long bufferedBytes;
  private long fileNumber;
  private long writes;
  private long writeNanos;
  private long ingestNanos;
  private boolean closed;

  RocksDbBulkLoad(RocksDbTaskStateStore owner, Path directory) {
    this.owner = owner;
    this.directory = directory;
    deleteLeftovers(directory);
  }

  @Override
  public void put(String storeName, byte[] key, byte[] value, int valueOffset, int valueLength) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    add(storeName, key, 0, key.length, value, valueOffset, valueLength);
  }

  @Override
  public void put(
      String storeName,
      byte[] keys,
      int keyOffset,
      int keyLength,
      byte[] value,
      int valueOffset,
      int valueLength) {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    Objects.checkFromIndexSize(keyOffset, keyLength, keys.length);
    Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    add(storeName, keys, keyOffset, keyLength, value, valueOffset, valueLength);
  }

  @Override
  public void delete(String storeName, byte[] key) {
    Objects.requireNonNull(key, "key");
    add(storeName, key, 0, key.length, null, 0, -1);
  }

  @Override
  public void delete(String storeName, byte[] keys, int keyOffset, int keyLength) {
    Objects.requireNonNull(keys, "keys");
    Objects.checkFromIndexSize(keyOffset, keyLength, keys.length);
    add(storeName, keys, keyOffset, keyLength, null, 0, -1);
  }

  private void add(
      String storeName,
      byte[] keys,
      int keyOffset,
      int keyLength,
      byte[] value,
      int valueOffset,
      int valueLength) {
    ensureOpen();
    BulkLoadBuffer buffer;
    if (storeName.equals(lastStore)) {
      buffer = lastBuffer; // a restore adds a run of records per store: skip the map lookup
    } else {
      buffer = pending.get(storeName);
      if (buffer == null) {
        owner.storeImpl(storeName); // rejects an unknown store
        buffer = new BulkLoadBuffer();
        pending.put(storeName, buffer);
      }
      lastStore = storeName;
      lastBuffer = buffer;
    }
    long before = buffer.bytes();
    buffer.add(keys, keyOffset, keyLength, value, valueOffset, valueLength);
    size++;
    bufferedBytes += buffer.bytes() - before;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long bufferedBytes() {
    return bufferedBytes;
  }

  @Override
  public void ingest() {
    ensureOpen();
    try {
      for (Map.Entry<String, BulkLoadBuffer> e : pending.entrySet()) {
        if (e.getValue().count() > 0) {
          ingest(e.getKey(), e.getValue());
        }
      }
    } finally {
      // Also after a failure: the caller replays from the offsets it recorded, which do not cover
      // these writes.
      pending.values().forEach(BulkLoadBuffer::clear);
      size = 0;
      bufferedBytes = 0;
    }
  }

  private void ingest(String storeName, BulkLoadBuffer buffer) {
    RocksDbKeyValueStore store = owner.storeImpl(storeName);
    long started = System.nanoTime();
    writes += buffer.count();
    int[] order = buffer.sortedOrder();
    Path file = directory.resolve(FILE_PREFIX + (++fileNumber) + ".sst");
    try (SstFileWriter writer = new SstFileWriter(envOptions, options(storeName))) {
      writer.open(file.toString());
      int n = order.length;
      for (int i = 0; i < n; i++) {
        int w = order[i];
        if (i + 1 < n && buffer.sameKey(w, order[i + 1])) {
          continue; // a later write of the key follows
        }
        if (buffer.valueLength(w) < 0) {
          writer.delete(buffer.keyBytes(w));
        } else {
          // Views of the direct slabs: the JNI call reads key and value in place, no copy.
          writer.put(buffer.key(w), buffer.value(w));
        }
      }
      writer.finish();
      long written = System.nanoTime();
      writeNanos += written - started;
      owner.db().ingestExternalFile(store.handle(), List.of(file.toString()), ingestOptions);
      ingestNanos += System.nanoTime() - written;
    } catch (RocksDBException e) {
      throw owner.failure("ingest a bulk load into store " + storeName, e);
    } finally {
      deleteQuietly(file);
    }
  }

  private Options options(String storeName) {
    Options o = sstOptions.get(storeName);
    if (o == null) {
      o = new Options(owner.dbOptions(), owner.columnFamilyOptions(storeName));
      sstOptions.put(storeName, o);
    }
    return o;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (fileNumber > 0) {
      LOG.info(
          "{}: bulk-loaded {} writes in {} files; sorting and writing them took {} ms, ingesting"
              + " {} ms",
          owner,
          writes,
          fileNumber,
          writeNanos / 1_000_000,
          ingestNanos / 1_000_000);
    }
    pending.clear();
    lastStore = null;
    lastBuffer = null;
    sstOptions.values().forEach(Options::close);
    sstOptions.clear();
    envOptions.close();
    ingestOptions.close();
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Bulk load is closed");
    }
    owner.ensureOpen();
  }

  private static void deleteLeftovers(Path directory) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, FILE_PREFIX + "*")) {
      for (Path f : files) {
        deleteQuietly(f);
      }
    } catch (IOException e) {
      // Harmless: a leftover only takes disk space, and the next bulk load tries again.
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // As above.
    }
  }
}
