package dev.weir.store.internal;

import dev.weir.store.StateWriteBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A write batch for the in-memory backend: a list of operations applied in order. */
final class InMemoryWriteBatch implements StateWriteBatch {
  /** One put (value non-null) or delete (value null), with copied arrays. */
  record Operation(InMemoryKeyValueStore store, byte[] key, byte[] value) {}

  private final InMemoryTaskStateStore owner;
  private final List<Operation> operations = new ArrayList<>();
  private final Map<String, Long> offsets = new LinkedHashMap<>();
  private boolean closed;

  InMemoryWriteBatch(InMemoryTaskStateStore owner) {
    this.owner = owner;
  }

  @Override
  public void put(String storeName, byte[] key, byte[] value) {
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    put(storeName, key, value, 0, value.length);
  }

  /** Copies the range once, where the default would copy it and then {@code put} copy it again. */
  @Override
  public void put(String storeName, byte[] key, byte[] value, int valueOffset, int valueLength) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    ensureOpen();
    byte[] copy = Arrays.copyOfRange(value, valueOffset, valueOffset + valueLength);
    operations.add(new Operation(owner.storeImpl(storeName), ByteKeys.copy(key), copy));
  }

  @Override
  public void delete(String storeName, byte[] key) {
    Objects.requireNonNull(key, "key");
    ensureOpen();
    operations.add(new Operation(owner.storeImpl(storeName), ByteKeys.copy(key), null));
  }

  @Override
  public void putOffset(String changelogPartition, long nextOffset) {
    OffsetChecks.check(changelogPartition, nextOffset);
    ensureOpen();
    offsets.put(changelogPartition, nextOffset);
  }

  @Override
  public int size() {
    return operations.size();
  }

  @Override
  public void clear() {
    ensureOpen();
    operations.clear();
    offsets.clear();
  }

  @Override
  public void close() {
    closed = true;
    operations.clear();
    offsets.clear();
  }

  boolean isClosed() {
    return closed;
  }

  InMemoryTaskStateStore owner() {
    return owner;
  }

  List<Operation> operations() {
    return operations;
  }

  Map<String, Long> offsets() {
    return offsets;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("Write batch is closed");
    }
    owner.ensureOpen();
  }
}
