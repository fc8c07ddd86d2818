package dev.weir.store.internal;

import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The transactional view of one store: pending writes in a sorted map over the committed base
 * store.
 *
 * <p>Invariants: {@code pending} holds at most one entry per key, the latest write, where the
 * identity sentinel {@link #TOMBSTONE} marks a delete; the base is never written here. The map is a
 * {@link ConcurrentSkipListMap} for its weakly consistent iterators (single-threaded use), so a
 * caller may write while iterating.
 */
final class OverlayKeyValueStore implements KeyValueStore {
  /** Marks a pending delete; compared by identity, so no stored value can be mistaken for it. */
  private static final byte[] TOMBSTONE = new byte[0];

  /**
   * Estimated heap per pending entry beyond key and value bytes: skip-list node and index share,
   * map entry, two array headers.
   */
  static final long ENTRY_OVERHEAD_BYTES = 96;

  private final String name;
  private final KeyValueStore base;
  private final ConcurrentSkipListMap<byte[], byte[]> pending =
      new ConcurrentSkipListMap<>(ByteKeys.ORDER);
  private long pendingBytes;
  private int pendingCount; // ConcurrentSkipListMap.size() walks the whole map
  private int tombstones;

  OverlayKeyValueStore(KeyValueStore base) {
    this.name = base.name();
    this.base = base;
  }

  static boolean isTombstone(byte[] value) {
    return value == TOMBSTONE;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] get(byte[] key) {
    Objects.requireNonNull(key, "key");
    byte[] value = pending.get(key);
    if (value == null) {
      return base.get(key);
    }
    return isTombstone(value) ? null : ByteKeys.copy(value);
  }

  @Override
  public void put(byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    record(ByteKeys.copy(key), ByteKeys.copy(value));
  }

  @Override
  public void delete(byte[] key) {
    Objects.requireNonNull(key, "key");
    byte[] previous = pending.get(key);
    if (previous != null && !isTombstone(previous) && base.get(key) == null) {
      // Written and deleted within one commit interval, and absent from the committed state: the
      // commit has nothing to say about this key, so drop it instead of logging a tombstone (a
      // window or timer that opens and closes between two commits costs no changelog records).
      pending.remove(key);
      pendingCount--;
      pendingBytes -= ENTRY_OVERHEAD_BYTES + key.length + previous.length;
      return;
    }
    record(ByteKeys.copy(key), TOMBSTONE);
  }

  /** One tombstone per live key: a compacted changelog has no range deletes. */
  @Override
  public void deleteRange(byte[] fromInclusive, byte[] toExclusive) {
    try (KeyValueIterator live = range(fromInclusive, toExclusive)) {
      while (live.hasNext()) {
        record(live.next().key(), TOMBSTONE); // the iterator hands out fresh key arrays
      }
    }
  }

  @Override
  public KeyValueIterator range(byte[] fromInclusive, byte[] toExclusive) {
    KeyValueIterator committed = base.range(fromInclusive, toExclusive);
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return new MergingIterator(committed, Map.<byte[], byte[]>of().entrySet().iterator());
    }
    return new MergingIterator(committed, view(fromInclusive, toExclusive).entrySet().iterator());
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

  /**
   * The base estimate plus pending puts minus pending deletes. Until commit, a pending put of a key
   * the base already has is counted twice, and a pending delete of an absent key subtracts one.
   */
  @Override
  public long approximateNumEntries() {
    long puts = pendingCount - tombstones;
    return Math.max(0L, base.approximateNumEntries() + puts - tombstones);
  }

  /** The base's estimate: pending writes are not live data yet. */
  @Override
  public long approximateLiveDataBytes() {
    return base.approximateLiveDataBytes();
  }

  long pendingBytes() {
    return pendingBytes;
  }

  int pendingCount() {
    return pendingCount;
  }

  /**
   * The pending entries, ascending; a value is {@link #isTombstone(byte[]) a tombstone} or data.
   */
  NavigableMap<byte[], byte[]> pendingEntries() {
    return pending;
  }

  void clear() {
    pending.clear();
    pendingBytes = 0;
    pendingCount = 0;
    tombstones = 0;
  }

  private void record(byte[] ownedKey, byte[] ownedValue) {
    byte[] previous = pending.put(ownedKey, ownedValue);
    if (previous == null) {
      pendingCount++;
      pendingBytes += ENTRY_OVERHEAD_BYTES + ownedKey.length + ownedValue.length;
    } else {
      pendingBytes += ownedValue.length - previous.length;
      if (isTombstone(previous)) {
        tombstones--;
      }
    }
    if (isTombstone(ownedValue)) {
      tombstones++;
    }
  }

  private NavigableMap<byte[], byte[]> view(byte[] from, byte[] to) {
    if (from == null) {
      return to == null ? pending : pending.headMap(to, false);
    }
    return to == null ? pending.tailMap(from, true) : pending.subMap(from, true, to, false);
  }
}
