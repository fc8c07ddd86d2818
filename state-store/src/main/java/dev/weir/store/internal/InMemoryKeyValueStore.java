package dev.weir.store.internal;

import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * A heap store. A {@link ConcurrentSkipListMap} is used for its weakly consistent iterators (the
 * store is single-threaded): deleting while iterating must not fail. Arrays are copied in and out.
 */
final class InMemoryKeyValueStore implements KeyValueStore {
  private final String name;
  private final InMemoryTaskStateStore owner;
  private final ConcurrentSkipListMap<byte[], byte[]> map =
      new ConcurrentSkipListMap<>(ByteKeys.ORDER);
  private long size; // ConcurrentSkipListMap.size() walks the whole map
  private long bytes; // keys' and values' bytes, for the live-data-size metric

  InMemoryKeyValueStore(String name, InMemoryTaskStateStore owner) {
    this.name = name;
    this.owner = owner;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] get(byte[] key) {
    Objects.requireNonNull(key, "key");
    owner.ensureOpen();
    byte[] value = map.get(key);
    return value == null ? null : ByteKeys.copy(value);
  }

  @Override
  public void put(byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    owner.ensureOpen();
    putTrusted(ByteKeys.copy(key), ByteKeys.copy(value));
  }

  @Override
  public void delete(byte[] key) {
    Objects.requireNonNull(key, "key");
    owner.ensureOpen();
    deleteTrusted(key);
  }

  @Override
  public void deleteRange(byte[] fromInclusive, byte[] toExclusive) {
    owner.ensureOpen();
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return;
    }
    NavigableMap<byte[], byte[]> range = view(fromInclusive, toExclusive);
    for (byte[] key = range.isEmpty() ? null : range.firstKey();
        key != null;
        key = range.higherKey(key)) {
      deleteTrusted(key);
    }
  }

  @Override
  public KeyValueIterator range(byte[] fromInclusive, byte[] toExclusive) {
    owner.ensureOpen();
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return new MapIterator(owner, Map.<byte[], byte[]>of().entrySet().iterator());
    }
    return new MapIterator(owner, view(fromInclusive, toExclusive).entrySet().iterator());
  }

  /** Copies out the keys only. */
  @Override
  public void forEachKey(byte[] fromInclusive, byte[] toExclusive, Consumer<byte[]> action) {
    Objects.requireNonNull(action, "action");
    owner.ensureOpen();
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return;
    }
    for (byte[] key : view(fromInclusive, toExclusive).keySet()) {
      action.accept(ByteKeys.copy(key));
    }
  }

  @Override
  public KeyValueIterator prefixScan(byte[] prefix) {
    return range(Objects.requireNonNull(prefix, "prefix"), ByteKeys.prefixEnd(prefix));
  }

  @Override
  public KeyValueIterator all() {
    return range(null, null);
  }

  @Override
  public long approximateNumEntries() {
    owner.ensureOpen();
    return size;
  }

  /** The bytes of the keys and values held: exact, unlike RocksDB's estimate. */
  @Override
  public long approximateLiveDataBytes() {
    owner.ensureOpen();
    return bytes;
  }

  void putTrusted(byte[] key, byte[] value) {
    byte[] old = map.put(key, value);
    if (old == null) {
      size++;
      bytes += key.length + value.length;
    } else {
      bytes += value.length - old.length;
    }
  }

  void deleteTrusted(byte[] key) {
    byte[] old = map.remove(key);
    if (old != null) {
      size--;
      bytes -= key.length + old.length;
    }
  }

  private NavigableMap<byte[], byte[]> view(byte[] from, byte[] to) {
    if (from == null) {
      return to == null ? map : map.headMap(to, false);
    }
    return to == null ? map.tailMap(from, true) : map.subMap(from, true, to, false);
  }

  /** Copies entries out so callers never see the map's arrays. */
  private static final class MapIterator extends LookaheadIterator {
    private final InMemoryTaskStateStore owner;
    private final Iterator<Map.Entry<byte[], byte[]>> entries;

    MapIterator(InMemoryTaskStateStore owner, Iterator<Map.Entry<byte[], byte[]>> entries) {
      this.owner = owner;
      this.entries = entries;
    }

    @Override
    void checkStoreOpen() {
      owner.ensureOpen();
    }

    @Override
    KeyValueEntry fetch() {
      if (!entries.hasNext()) {
        return null;
      }
      Map.Entry<byte[], byte[]> entry = entries.next();
      return KeyValueEntry.of(ByteKeys.copy(entry.getKey()), ByteKeys.copy(entry.getValue()));
    }
  }
}
