package dev.weir.store.internal;

import dev.weir.store.BulkLoad;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;

/**
 * A {@link BulkLoad} into one task's RocksDB instance. Each {@link #ingest()} stable-sorts every
 * store's buffered writes by key (RocksDB's bytewise order), keeps the last write per key, writes
 * them with an {@link SstFileWriter} (the store's own column family options, so the file has its
 * block size, compression and bloom filter) into the instance directory and ingests the file into
 * the store's column family, moving it rather than copying it.
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

  /** Heap per buffered write besides its bytes: the entry object and the two array headers. */
  static final long ENTRY_OVERHEAD_BYTES = 64;

  private static final Comparator<Entry> BY_KEY = (a, b) -> Arrays.compareUnsigned(a.key, b.key);

  /** One buffered write; {@code value == null} is a delete. */
  private record Entry(byte[] key, byte[] value, int valueOffset, int valueLength) {}

  private final RocksDbTaskStateStore owner;
  private final Path directory;
  private final Map<String, List<Entry>> pending = new TreeMap<>();
  private final Map<String, Options> sstOptions = new TreeMap<>();
  private final EnvOptions envOptions = new EnvOptions();
  private final IngestExternalFileOptions ingestOptions =
      new IngestExternalFileOptions().setMoveFiles(true);
  private ByteBuffer keyBuffer = ByteBuffer.allocateDirect(256);
  private ByteBuffer valueBuffer = ByteBuffer.allocateDirect(4096);
  private int size;
  private long bufferedBytes;
  private long fileNumber;
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
    add(storeName, new Entry(key, value, valueOffset, valueLength), key.length + valueLength);
  }

  @Override
  public void delete(String storeName, byte[] key) {
    Objects.requireNonNull(key, "key");
    add(storeName, new Entry(key, null, 0, 0), key.length);
  }

  private void add(String storeName, Entry entry, int bytes) {
    ensureOpen();
    List<Entry> entries = pending.get(storeName);
    if (entries == null) {
      owner.storeImpl(storeName); // rejects an unknown store
      entries = new ArrayList<>();
      pending.put(storeName, entries);
    }
    entries.add(entry);
    size++;
    bufferedBytes += bytes + ENTRY_OVERHEAD_BYTES;
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
      for (Map.Entry<String, List<Entry>> e : pending.entrySet()) {
        if (!e.getValue().isEmpty()) {
          ingest(e.getKey(), e.getValue());
        }
      }
    } finally {
      // Also after a failure: the caller replays from the offsets it recorded, which do not cover
      // these writes.
      pending.values().forEach(List::clear);
      size = 0;
      bufferedBytes = 0;
    }
  }

  private void ingest(String storeName, List<Entry> entries) {
    RocksDbKeyValueStore store = owner.storeImpl(storeName);
    // Stable: among equal keys the last one added, the latest write, stays last.
    entries.sort(BY_KEY);
    Path file = directory.resolve(FILE_PREFIX + (++fileNumber) + ".sst");
    try (SstFileWriter writer = new SstFileWriter(envOptions, options(storeName))) {
      writer.open(file.toString());
      int n = entries.size();
      for (int i = 0; i < n; i++) {
        Entry entry = entries.get(i);
        if (i + 1 < n && Arrays.equals(entry.key, entries.get(i + 1).key)) {
          continue; // a later write of the key follows
        }
        if (entry.value == null) {
          writer.delete(entry.key);
        } else {
          // Direct buffers: the JNI call reads them in place, with no array copy per record.
          ByteBuffer key = keyBuffer(entry.key.length).put(entry.key).flip();
          ByteBuffer value =
              valueBuffer(entry.valueLength)
                  .put(entry.value, entry.valueOffset, entry.valueLength)
                  .flip();
          writer.put(key, value);
        }
      }
      writer.finish();
      owner.db().ingestExternalFile(store.handle(), List.of(file.toString()), ingestOptions);
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

  private ByteBuffer keyBuffer(int length) {
    if (keyBuffer.capacity() < length) {
      keyBuffer = ByteBuffer.allocateDirect(Math.max(length, keyBuffer.capacity() * 2));
    }
    return keyBuffer.clear();
  }

  private ByteBuffer valueBuffer(int length) {
    if (valueBuffer.capacity() < length) {
      valueBuffer = ByteBuffer.allocateDirect(Math.max(length, valueBuffer.capacity() * 2));
    }
    return valueBuffer.clear();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    pending.clear();
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
