package dev.weir.store.internal;

import dev.weir.store.StateWriteBatch;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A native {@link WriteBatch}. Offsets are written into it at once, as metadata records in the
 * {@code default} column family, and remembered so the owner can refresh its offset cache after the
 * batch is applied.
 */
final class RocksDbWriteBatch implements StateWriteBatch {
  private final RocksDbTaskStateStore owner;
  private final WriteBatch batch = new WriteBatch();
  private final Map<String, Long> offsets = new TreeMap<>();
  private int size;
  private boolean closed;

  RocksDbWriteBatch(RocksDbTaskStateStore owner) {
    this.owner = owner;
  }

  @Override
  public void put(String storeName, byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    ensureOpen();
    RocksDbKeyValueStore store = owner.storeImpl(storeName);
    try {
      batch.put(store.handle(), key, value);
    } catch (RocksDBException e) {
      throw owner.failure("add a put to a batch", e);
    }
    size++;
  }

  @Override
  public void delete(String storeName, byte[] key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    RocksDbKeyValueStore store = owner.storeImpl(storeName);
    try {
      batch.delete(store.handle(), key);
    } catch (RocksDBException e) {
      throw owner.failure("add a delete to a batch", e);
    }
    size++;
  }

  @Override
  public void putOffset(String changelogPartition, long nextOffset) {
    OffsetChecks.check(changelogPartition, nextOffset);
    ensureOpen();
    try {
      batch.put(
          owner.metadataHandle(),
          MetadataFormat.encodeOffsetKey(changelogPartition),
          MetadataFormat.encodeOffsetValue(nextOffset));
    } catch (RocksDBException e) {
      throw owner.failure("add an offset to a batch", e);
    }
    offsets.put(changelogPartition, nextOffset);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void clear() {
    ensureOpen();
    batch.clear();
    offsets.clear();
    size = 0;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      batch.close();
    }
  }

  RocksDbTaskStateStore owner() {
    return owner;
  }

  boolean isClosed() {
    return closed;
  }

  WriteBatch nativeBatch() {
    return batch;
  }

  Map<String, Long> offsets() {
    return offsets;
  }

  /** Also checks the owner: a native batch must not reference handles of a closed instance. */
  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Write batch is closed");
    }
    owner.ensureOpen();
  }
}
