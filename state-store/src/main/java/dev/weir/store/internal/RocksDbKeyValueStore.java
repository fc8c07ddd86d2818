package dev.weir.store.internal;

import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import java.util.Objects;
import java.util.function.Consumer;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * One column family of a task's RocksDB instance. RocksDB's default comparator is bytewise, which
 * is the unsigned lexicographic order the SPI promises. Writes go through the WAL.
 */
final class RocksDbKeyValueStore implements KeyValueStore {
  private static final String ESTIMATE_NUM_KEYS = "rocksdb.estimate-num-keys";
  private static final String ESTIMATE_LIVE_DATA_SIZE = "rocksdb.estimate-live-data-size";

  private final String name;
  private final RocksDbTaskStateStore owner;
  private final ColumnFamilyHandle handle;

  /** Read once: {@link ColumnFamilyHandle#getID()} is a JNI call, and batches need it per entry. */
  private final int columnFamilyId;

  RocksDbKeyValueStore(String name, RocksDbTaskStateStore owner, ColumnFamilyHandle handle) {
    this.name = name;
    this.owner = owner;
    this.handle = handle;
    this.columnFamilyId = handle.getID();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] get(byte[] key) {
    Objects.requireNonNull(key, "key");
    owner.ensureOpen();
    try {
      return owner.db().get(handle, key);
    } catch (RocksDBException e) {
      throw owner.failure("read from store " + name, e);
    }
  }

  @Override
  public void put(byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    owner.ensureOpen();
    try {
      owner.db().put(handle, owner.loggedWrites(), key, value);
    } catch (RocksDBException e) {
      throw owner.failure("write to store " + name, e);
    }
  }

  @Override
  public void delete(byte[] key) {
    Objects.requireNonNull(key, "key");
    owner.ensureOpen();
    try {
      owner.db().delete(handle, owner.loggedWrites(), key);
    } catch (RocksDBException e) {
      throw owner.failure("delete from store " + name, e);
    }
  }

  @Override
  public void deleteRange(byte[] fromInclusive, byte[] toExclusive) {
    owner.ensureOpen();
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return;
    }
    byte[] from = fromInclusive == null ? ByteKeys.EMPTY : fromInclusive;
    try (WriteBatch batch = new WriteBatch()) {
      if (toExclusive != null) {
        batch.deleteRange(handle, from, toExclusive);
      } else {
        // RocksDB range deletes need an end key: cover up to the current last key, then that key.
        byte[] last = lastKey();
        if (last == null || ByteKeys.compare(last, from) < 0) {
          return;
        }
        batch.deleteRange(handle, from, last);
        batch.delete(handle, last);
      }
      owner.db().write(owner.loggedWrites(), batch);
    } catch (RocksDBException e) {
      throw owner.failure("delete a range from store " + name, e);
    }
  }

  private byte[] lastKey() throws RocksDBException {
    try (RocksIterator iterator = owner.rawIterator(handle)) {
      iterator.seekToLast();
      if (iterator.isValid()) {
        return iterator.key();
      }
      iterator.status();
      return null;
    }
  }

  @Override
  public KeyValueIterator range(byte[] fromInclusive, byte[] toExclusive) {
    owner.ensureOpen();
    return owner.newIterator(handle, fromInclusive, toExclusive);
  }

  /** Never calls the native iterator's {@code value()}: no value is copied out of RocksDB. */
  @Override
  public void forEachKey(byte[] fromInclusive, byte[] toExclusive, Consumer<byte[]> action) {
    Objects.requireNonNull(action, "action");
    owner.ensureOpen();
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return;
    }
    // Closed in the order iterator, read options, bound slice, as RocksDbIterator does.
    try (Slice upperBound = toExclusive == null ? null : new Slice(toExclusive);
        ReadOptions readOptions = new ReadOptions();
        RocksIterator iterator = newIterator(readOptions, upperBound)) {
      if (fromInclusive == null) {
        iterator.seekToFirst();
      } else {
        iterator.seek(fromInclusive);
      }
      for (; iterator.isValid(); iterator.next()) {
        action.accept(iterator.key());
      }
      iterator.status();
    } catch (RocksDBException e) {
      throw owner.failure("iterate the keys of store " + name, e);
    }
  }

  private RocksIterator newIterator(ReadOptions readOptions, Slice upperBound) {
    if (upperBound != null) {
      readOptions.setIterateUpperBound(upperBound);
    }
    return owner.db().newIterator(handle, readOptions);
  }

  @Override
  public KeyValueIterator prefixScan(byte[] prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return range(prefix, ByteKeys.prefixEnd(prefix));
  }

  @Override
  public KeyValueIterator all() {
    return range(null, null);
  }

  @Override
  public long approximateNumEntries() {
    owner.ensureOpen();
    try {
      return Math.max(0L, owner.db().getLongProperty(handle, ESTIMATE_NUM_KEYS));
    } catch (RocksDBException e) {
      throw owner.failure("estimate the size of store " + name, e);
    }
  }

  @Override
  public long approximateLiveDataBytes() {
    owner.ensureOpen();
    try {
      return Math.max(0L, owner.db().getLongProperty(handle, ESTIMATE_LIVE_DATA_SIZE));
    } catch (RocksDBException e) {
      throw owner.failure("estimate the live data size of store " + name, e);
    }
  }

  ColumnFamilyHandle handle() {
    return handle;
  }

  int columnFamilyId() {
    return columnFamilyId;
  }
}
