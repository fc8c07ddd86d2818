package dev.weir.store.internal;

import dev.weir.store.StateWriteBatch;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rocksdb.WriteBatch;

/**
 * A batch serialized in Java by a {@link WriteBatchEncoder}, so adding an entry costs no JNI call;
 * only applying it crosses into RocksDB, once, through {@link #toNativeBatch()}. Offsets are
 * encoded into it at once, as metadata records in the {@code default} column family, and remembered
 * so the owner can refresh its offset cache after the batch is applied.
 */
final class RocksDbWriteBatch implements StateWriteBatch {
  private final RocksDbTaskStateStore owner;
  private final WriteBatchEncoder encoder;
  private final Map<String, Long> offsets = new TreeMap<>();
  private int size;
  private boolean closed;

  RocksDbWriteBatch(RocksDbTaskStateStore owner) {
    this(owner, new WriteBatchEncoder());
  }

  /** Takes an encoder with lower limits, for tests of what happens at a limit. */
  RocksDbWriteBatch(RocksDbTaskStateStore owner, WriteBatchEncoder encoder) {
    this.owner = owner;
    this.encoder = encoder;
  }

  @Override
  public void put(String storeName, byte[] key, byte[] value) {
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    put(storeName, key, value, 0, value.length);
  }

  /** Copies the value range straight into the serialized batch. */
  @Override
  public void put(String storeName, byte[] key, byte[] value, int valueOffset, int valueLength) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    ensureOpen();
    RocksDbKeyValueStore store = owner.storeImpl(storeName);
    encoder.put(store.columnFamilyId(), key, value, valueOffset, valueLength);
    size++;
  }

  @Override
  public void delete(String storeName, byte[] key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    RocksDbKeyValueStore store = owner.storeImpl(storeName);
    encoder.delete(store.columnFamilyId(), key);
    size++;
  }

  @Override
  public void putOffset(String changelogPartition, long nextOffset) {
    OffsetChecks.check(changelogPartition, nextOffset);
    ensureOpen();
    byte[] value = MetadataFormat.encodeOffsetValue(nextOffset);
    encoder.put(
        owner.metadataColumnFamilyId(),
        MetadataFormat.encodeOffsetKey(changelogPartition),
        value,
        0,
        value.length);
    offsets.put(changelogPartition, nextOffset);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void clear() {
    ensureOpen();
    encoder.clear();
    offsets.clear();
    size = 0;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      encoder.release();
      offsets.clear();
    }
  }

  RocksDbTaskStateStore owner() {
    return owner;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Hands the serialized batch to RocksDB in one JNI call. Each call creates a new native batch,
   * which the caller must close once it has been written.
   */
  WriteBatch toNativeBatch() {
    return new WriteBatch(encoder.toByteArray());
  }

  Map<String, Long> offsets() {
    return offsets;
  }

  /**
   * Also checks the owner: the batch encodes column family ids of the owner's instance, which mean
   * nothing once it is closed.
   */
  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Write batch is closed");
    }
    owner.ensureOpen();
  }
}
