package dev.weir.store.internal;

import static dev.weir.store.internal.CacheEntry.ABSENT;
import static dev.weir.store.internal.CacheEntry.PRESENT;
import static dev.weir.store.internal.CacheEntry.UNKNOWN;

import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import dev.weir.store.OutsideWrites;
import dev.weir.store.PendingWriteVisitor;
import dev.weir.store.StateCache;
import dev.weir.store.internal.CacheEntry.Key;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The transactional view of one store, and its write-back cache: pending writes, committed entries
 * and keys known to be absent, in memory over the committed base store.
 *
 * <p>Every key the overlay knows has one {@link CacheEntry} in a hash map, which answers point
 * reads and writes. A <em>dirty</em> entry is a pending write (its value, or null for a delete); it
 * is also in the sorted map {@code pending}, which range scans merge over the base and commit walks
 * (sorted lazily: a new dirty entry waits in a bucket by its key's first byte until a scan of a
 * range that may hold it or the commit needs it sorted, so a write dropped within the interval, a
 * window opened and fired between two commits, is never sorted at all) in key order. A
 * <em>clean</em> entry holds what the base holds (a value, or null: absent), so a read of it does
 * not reach the base; clean entries stay across commits within the thread's {@link StateCache}
 * budget, least recently used first out.
 *
 * <p>The overlay is <em>complete</em> while every key the base holds is in the hash map: from a
 * base that was empty when wrapped, as long as no clean entry with a value was evicted (all writes
 * to the base go through this overlay). A complete overlay answers every point read from memory.
 *
 * <p>A range delete ({@link #deleteRangeCounted}) is not a pending write per key: it removes the
 * range's pending writes and clean entries and keeps the keys the base holds there as one {@link
 * Drop}, whose tombstones the commit writes before the pending writes; until then base reads in the
 * range are hidden. A bounded range scan whose start the owner names notes the committed keys it
 * read, so that a delete of the same range right after it needs no second read of the base ({@link
 * NotedScans}, design record 037).
 *
 * <p>Keys the owner reads only by range scans ({@code scannedOnly}, a window's list elements,
 * design record 037) get no clean entry: range scans merge only pending writes over the base, so a
 * clean copy of such a key would never be read, only held (and copied by the GC) until evicted or
 * deleted. Point operations on them stay correct but are not answered from memory: completeness
 * does not cover them, so a point read, update or delete that finds no entry asks the base.
 *
 * <p>Puts kept outside the overlay ({@link OutsideWrites}, attached by their owner) are pending
 * writes the overlay does not index: the commit visits and applies them after its own, and then
 * forgets whatever it held of their keys (design record 026).
 *
 * <p>Invariants: per key at most one entry, the latest write; the base is written only by {@link
 * OverlayTaskState#commit}; an entry's {@code inBase} is what the base holds for the key as far as
 * known. {@code pending} is a {@link TreeMap}; a range scan walks it with its own iterator while
 * nothing changes the map's keys, and after such a change (a caller writing while it iterates a
 * range, single-threaded) goes on from the last key it returned, so scans stay weakly consistent as
 * a concurrent skip list's would be, without paying a skip list's cost on every write.
 */
final class OverlayKeyValueStore implements KeyValueStore {
  /** Estimated heap per key of a deleted range beyond its bytes: array header and list slot. */
  static final long DROPPED_KEY_OVERHEAD_BYTES = 24;

  private final String name;
  private final KeyValueStore base;
  private final StateCache cache;
  private final Map<Key, CacheEntry> entries = new HashMap<>();
  private TreeMap<byte[], CacheEntry> pending = new TreeMap<>(ByteKeys.ORDER);

  /** Counts changes to the keys of {@code pending}, so that a range scan knows when to re-seek. */
  private long pendingChanges;

  /**
   * Dirty entries not yet in {@code pending}: bucket 0 for the empty key, 1 + b for keys starting
   * with byte b (unsigned). May also hold entries no longer dirty or already sorted, skipped when
   * the bucket is moved into {@code pending}.
   */
  private final Bucket[] unsorted = new Bucket[257];

  /** Dirty entries waiting to be sorted. */
  private static final class Bucket {
    final ArrayList<CacheEntry> entries = new ArrayList<>();
  }

  /** Counts entries put into buckets, so that an open scan knows when to look at them. */
  private long unsortedAdds;

  private boolean anyUnsorted;

  private boolean complete;
  private long pendingBytes;
  private int pendingCount; // dirty entries, sorted or not
  private int tombstones;
  private final List<Drop> drops = new ArrayList<>();

  /**
   * The ranges of {@code drops} merged into disjoint ranges, start to end (exclusive; null: no
   * end), so that telling whether a key was dropped costs a lookup however many ranges were deleted
   * (a window operator deletes a range per fired window; design record 029).
   */
  private final TreeMap<byte[], byte[]> droppedRanges = new TreeMap<>(ByteKeys.ORDER);

  private final List<OutsideWrites> outside = new ArrayList<>();

  private final CleanEntries clean;

  /**
   * The committed keys of the last noted range scan, for a delete of the same range next (design
   * record 037).
   */
  private final NotedScans notedScans;

  /** Keys kept out of the clean entries and out of completeness (see the class comment). */
  private final Predicate<byte[]> scannedOnly;

  OverlayKeyValueStore(KeyValueStore base, StateCache cache) {
    this(base, cache, key -> false, key -> true);
  }

  OverlayKeyValueStore(
      KeyValueStore base,
      StateCache cache,
      Predicate<byte[]> scannedOnly,
      Predicate<byte[]> reusedScans) {
    this.name = base.name();
    this.base = base;
    this.cache = cache;
    this.scannedOnly = Objects.requireNonNull(scannedOnly, "scannedOnly");
    this.notedScans = new NotedScans(reusedScans, drops);
    this.clean = new CleanEntries(cache);
    if (cache.enabled()) {
      try (KeyValueIterator all = base.all()) {
        complete = !all.hasNext();
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte[] get(byte[] key) {
    Objects.requireNonNull(key, "key");
    CacheEntry e = entries.get(new Key(key));
    if (e != null) {
      cache.countHit();
      if (!e.dirty) {
        clean.touch(e);
      }
      return e.value == null ? null : ByteKeys.copy(e.value);
    }
    boolean scanned = scannedOnly.test(key);
    if (complete && !scanned) {
      cache.countHit(); // not in a complete overlay: the base does not have it either
      return null;
    }
    if (!drops.isEmpty() && dropped(key)) {
      cache.countHit(); // deleted in this transaction; the base still has it until commit
      return null;
    }
    cache.countMiss();
    byte[] value = base.get(key);
    if (cache.enabled() && !scanned) {
      e = new CacheEntry(new Key(ByteKeys.copy(key)));
      e.value = value == null ? null : ByteKeys.copy(value);
      e.inBase = value == null ? ABSENT : PRESENT;
      entries.put(e.key, e);
      clean.add(e);
      evictOverBudget();
    }
    return value;
  }

  @Override
  public void put(byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value must not be null; use delete to remove a key");
    write(entryFor(key), ByteKeys.copy(value));
  }

  /** One hash lookup; the new value is taken without a copy, as the contract allows. */
  @Override
  public void update(byte[] key, UnaryOperator<byte[]> update) {
    Objects.requireNonNull(key, "key");
    CacheEntry e = entries.get(new Key(key));
    byte[] current;
    byte inBase = UNKNOWN;
    if (e != null) {
      cache.countHit();
      current = e.value;
    } else if (complete && !scannedOnly.test(key)) {
      cache.countHit();
      current = null;
      inBase = ABSENT;
    } else if (!drops.isEmpty() && dropped(key)) {
      cache.countHit(); // deleted in this transaction; the base still has it until commit
      current = null;
    } else {
      cache.countMiss();
      current = base.get(key);
      inBase = current == null ? ABSENT : PRESENT;
    }
    byte[] value = update.apply(current);
    if (value == null) {
      throw new NullPointerException("update must return a value; use delete to remove a key");
    }
    if (e == null) {
      e = new CacheEntry(new Key(ByteKeys.copy(key)));
      e.inBase = inBase;
      entries.put(e.key, e);
    }
    write(e, value);
  }

  @Override
  public void delete(byte[] key) {
    Objects.requireNonNull(key, "key");
    CacheEntry e = entries.get(new Key(key));
    if (e == null) {
      if ((complete && !scannedOnly.test(key)) || (!drops.isEmpty() && dropped(key))) {
        return; // absent from the base and from pending writes, or deleted already
      }
      e = entryFor(key);
    } else if (e.value == null) {
      return; // already deleted, or known to be absent
    }
    if (e.dirty && e.inBase == UNKNOWN) {
      e.inBase = base.get(key) == null ? ABSENT : PRESENT;
    }
    if (e.dirty && e.inBase == ABSENT) {
      // Written and deleted within one commit interval, and absent from the committed state: the
      // commit has nothing to say about this key, so drop the write instead of logging a tombstone
      // (a window or timer that opens and closes between two commits costs no changelog records).
      unpend(e);
      e.value = null;
      keepClean(e);
      return;
    }
    write(e, null);
  }

  /** One tombstone per key the range held: a compacted changelog has no range deletes. */
  @Override
  public void deleteRange(byte[] fromInclusive, byte[] toExclusive) {
    deleteRangeCounted(fromInclusive, toExclusive);
  }

  /**
   * Removes the range in one pass: its pending writes go, its clean entries go, and the keys the
   * base holds in it become one {@link Drop}, whose tombstones the commit sends and applies before
   * the pending writes (so that a key written again after the drop keeps its new value). No pending
   * write or hash-map entry is made per dropped key.
   */
  @Override
  public long deleteRangeCounted(byte[] fromInclusive, byte[] toExclusive) {
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return 0;
    }
    long live = 0;
    List<byte[]> inBase = notedScans.take(fromInclusive, toExclusive);
    if (inBase == null) {
      inBase = new ArrayList<>();
      committedKeys(fromInclusive, toExclusive, inBase::add);
    }
    for (byte[] key : inBase) {
      CacheEntry e = entries.get(new Key(key));
      if (e == null) {
        live++;
      } else if (!e.dirty) {
        forget(e);
        if (e.value != null) {
          live++;
        }
      } // a dirty entry is counted and removed with the pending writes below
    }
    sortRange(fromInclusive, toExclusive); // the range's dirty entries waiting in buckets too
    for (Iterator<CacheEntry> it = view(fromInclusive, toExclusive).values().iterator();
        it.hasNext(); ) {
      CacheEntry e = it.next();
      if (e.value != null) {
        live++;
      }
      it.remove();
      pendingChanges++; // an open scan re-seeks
      e.sorted = false;
      pendingCount--;
      pendingBytes -= e.bytes();
      if (e.value == null) {
        tombstones--;
      }
      e.dirty = false;
      entries.remove(e.key);
    }
    if (!inBase.isEmpty()) {
      drops.add(new Drop(fromInclusive, toExclusive, inBase));
      addDroppedRange(fromInclusive, toExclusive);
      pendingCount += inBase.size();
      tombstones += inBase.size();
      for (byte[] key : inBase) {
        pendingBytes += DROPPED_KEY_OVERHEAD_BYTES + key.length;
      }
    }
    return live;
  }

  /**
   * A range deleted in this transaction: the keys the base held in it, each a tombstone at commit.
   * Until then the base still holds them, so base reads in the range are hidden ({@code
   * droppedRanges}).
   */
  record Drop(byte[] from, byte[] to, List<byte[]> keys) {}

  /** True when {@code key} lies in a range deleted in this transaction. */
  private boolean dropped(byte[] key) {
    Map.Entry<byte[], byte[]> r = droppedRanges.floorEntry(key);
    return r != null && (r.getValue() == null || ByteKeys.compare(key, r.getValue()) < 0);
  }

  /**
   * Adds {@code [from, to)} (null bounds: open) to {@code droppedRanges}, merging what it meets.
   */
  private void addDroppedRange(byte[] fromInclusive, byte[] toExclusive) {
    byte[] from = fromInclusive == null ? ByteKeys.EMPTY : fromInclusive;
    byte[] to = toExclusive;
    Map.Entry<byte[], byte[]> before = droppedRanges.floorEntry(from);
    if (before != null
        && (before.getValue() == null || ByteKeys.compare(before.getValue(), from) >= 0)) {
      from = before.getKey(); // reaches the new range: they merge
    }
    for (Map.Entry<byte[], byte[]> next = droppedRanges.ceilingEntry(from);
        next != null && (to == null || ByteKeys.compare(next.getKey(), to) <= 0);
        next = droppedRanges.ceilingEntry(from)) {
      to = to == null || next.getValue() == null ? null : later(to, next.getValue());
      droppedRanges.remove(next.getKey());
    }
    droppedRanges.put(from, to);
  }

  private static byte[] later(byte[] a, byte[] b) {
    return ByteKeys.compare(a, b) >= 0 ? a : b;
  }

  /** The base's entries in a range, without those of ranges deleted in this transaction. */
  private KeyValueIterator committedRange(byte[] fromInclusive, byte[] toExclusive) {
    KeyValueIterator committed = base.range(fromInclusive, toExclusive);
    if (drops.isEmpty()) {
      return committed;
    }
    return new LookaheadIterator() {
      @Override
      KeyValueEntry fetch() {
        while (committed.hasNext()) {
          KeyValueEntry e = committed.next();
          if (!dropped(e.key())) {
            return e;
          }
        }
        return null;
      }

      @Override
      void release() {
        committed.close();
      }
    };
  }

  /**
   * The base's keys in a range, without those of ranges deleted in this transaction: the keys of
   * {@link #committedRange}, without reading a value.
   */
  private void committedKeys(byte[] fromInclusive, byte[] toExclusive, Consumer<byte[]> action) {
    if (drops.isEmpty()) {
      base.forEachKey(fromInclusive, toExclusive, action);
      return;
    }
    base.forEachKey(
        fromInclusive,
        toExclusive,
        key -> {
          if (!dropped(key)) {
            action.accept(key);
          }
        });
  }

  @Override
  public KeyValueIterator range(byte[] fromInclusive, byte[] toExclusive) {
    KeyValueIterator committed = committedRange(fromInclusive, toExclusive);
    if (notedScans.notes(fromInclusive, toExclusive)) {
      committed = notedScans.recording(committed, fromInclusive, toExclusive);
    }
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return new MergingIterator(committed, List.<Map.Entry<byte[], byte[]>>of().iterator());
    }
    sortRange(fromInclusive, toExclusive);
    Iterator<CacheEntry> it = new PendingIterator(pending, fromInclusive, toExclusive);
    return new MergingIterator(
        committed,
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<byte[], byte[]> next() {
            CacheEntry e = it.next();
            return new AbstractMap.SimpleImmutableEntry<>(e.key.bytes, e.value);
          }
        });
  }

  /**
   * The keys {@link #range} would return: the base's keys, without those of ranges deleted in this
   * transaction, merged with the pending writes (a pending put adds or keeps its key, a pending
   * delete hides it). No value is read from the base, and no scan is noted.
   */
  @Override
  public void forEachKey(byte[] fromInclusive, byte[] toExclusive, Consumer<byte[]> action) {
    Objects.requireNonNull(action, "action");
    if (ByteKeys.isEmptyRange(fromInclusive, toExclusive)) {
      return;
    }
    sortRange(fromInclusive, toExclusive);
    Iterator<CacheEntry> pendingEntries = new PendingIterator(pending, fromInclusive, toExclusive);
    CacheEntry[] head = {pendingEntries.hasNext() ? pendingEntries.next() : null};
    committedKeys(
        fromInclusive,
        toExclusive,
        key -> {
          while (head[0] != null) {
            int order = ByteKeys.compare(head[0].key.bytes, key);
            if (order > 0) {
              break;
            }
            if (head[0].value != null) {
              action.accept(ByteKeys.copy(head[0].key.bytes));
            }
            head[0] = pendingEntries.hasNext() ? pendingEntries.next() : null;
            if (order == 0) {
              return; // the pending write said it
            }
          }
          action.accept(key);
        });
    for (CacheEntry e = head[0];
        e != null;
        e = pendingEntries.hasNext() ? pendingEntries.next() : null) {
      if (e.value != null) {
        action.accept(ByteKeys.copy(e.key.bytes));
      }
    }
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
    long puts = pendingCount + outsideCount() - tombstones;
    return Math.max(0L, base.approximateNumEntries() + puts - tombstones);
  }

  /** The base's estimate: pending writes are not live data yet. */
  @Override
  public long approximateLiveDataBytes() {
    return base.approximateLiveDataBytes();
  }

  long pendingBytes() {
    long bytes = pendingBytes;
    for (int i = 0; i < outside.size(); i++) {
      bytes += outside.get(i).bytes();
    }
    return bytes;
  }

  int pendingCount() {
    return pendingCount + outsideCount();
  }

  private int outsideCount() {
    int count = 0;
    for (int i = 0; i < outside.size(); i++) {
      count += outside.get(i).count();
    }
    return count;
  }

  /** Makes {@code writes} part of this store's pending writes, until the task state is gone. */
  void attach(OutsideWrites writes) {
    outside.add(writes);
  }

  /**
   * Visits what the commit writes: first the tombstones of the ranges deleted in this transaction,
   * then the pending writes ascending by key (a key written again after its range was deleted comes
   * twice, its new value last), then the puts kept outside the overlay, in their owners' order.
   */
  void forEachPendingWrite(PendingWriteVisitor visitor) {
    for (Drop d : drops) {
      for (byte[] key : d.keys()) {
        visitor.visit(name, key, null);
      }
    }
    sortRange(null, null);
    for (CacheEntry entry : pending.values()) {
      visitor.visit(name, entry.key.bytes, entry.value);
    }
    for (int i = 0; i < outside.size(); i++) {
      outside.get(i).forEach((key, value) -> visitor.visit(name, key, value));
    }
  }

  /**
   * The pending writes are in the base now: they become clean entries (within the budget), and
   * writes start anew.
   */
  void committed() {
    if (pendingCount > 0) {
      cache.countFlush();
    }
    sortRange(null, null);
    for (CacheEntry e : pending.values()) {
      e.sorted = false;
      e.dirty = false;
      e.inBase = e.value == null ? ABSENT : PRESENT;
      keepClean(e);
    }
    // A new map instead of clear(), so that a scan still open goes on over the old one.
    pending = new TreeMap<>(ByteKeys.ORDER);
    pendingChanges++;
    drops.clear();
    droppedRanges.clear();
    notedScans.baseChanged();
    pendingBytes = 0;
    pendingCount = 0;
    tombstones = 0;
    for (int i = 0; i < outside.size(); i++) {
      OutsideWrites o = outside.get(i);
      if (o.count() > 0) {
        // The base holds these keys now, with values this overlay never saw: forget what it knew
        // of them, which can only be keys that had a value before.
        complete = false;
        if (!entries.isEmpty()) {
          o.forEachReplacedKey(
              key -> {
                CacheEntry e = entries.get(new Key(key));
                if (e != null) {
                  forget(e);
                }
              });
        }
      }
      o.committed();
    }
    evictOverBudget();
  }

  /**
   * Drops the pending writes. The clean entries go too and the overlay is no longer complete: a
   * dirty entry's committed value was overwritten, so what remains is not known to match the base.
   */
  void clear() {
    clean.clear();
    for (CacheEntry e : pending.values()) {
      e.sorted = false;
    }
    entries.clear();
    pending = new TreeMap<>(ByteKeys.ORDER);
    pendingChanges++;
    dropUnsorted();
    drops.clear();
    droppedRanges.clear();
    notedScans.baseChanged();
    outside.forEach(OutsideWrites::aborted);
    complete = false;
    pendingBytes = 0;
    pendingCount = 0;
    tombstones = 0;
  }

  /** Bytes of clean entries this store holds (for tests). */
  long cachedBytes() {
    return clean.bytes();
  }

  boolean complete() {
    return complete;
  }

  // ---- internals

  private CacheEntry entryFor(byte[] key) {
    Key probe = new Key(key);
    CacheEntry e = entries.get(probe);
    if (e == null) {
      e = new CacheEntry(new Key(ByteKeys.copy(key)));
      e.inBase = complete && !scannedOnly.test(key) ? ABSENT : UNKNOWN;
      entries.put(e.key, e);
    }
    return e;
  }

  /** Makes {@code e} a pending write of {@code value} (null: delete). */
  private void write(CacheEntry e, byte[] value) {
    if (!e.dirty) {
      clean.remove(e);
      e.dirty = true;
      e.value = value;
      int b = bucket(e.key.bytes);
      if (unsorted[b] == null) {
        unsorted[b] = new Bucket();
      }
      unsorted[b].entries.add(e);
      unsortedAdds++;
      anyUnsorted = true;
      pendingCount++;
      pendingBytes += e.bytes();
      if (value == null) {
        tombstones++;
      }
      return;
    }
    pendingBytes += (value == null ? 0 : value.length) - (e.value == null ? 0 : e.value.length);
    if (e.value == null) {
      tombstones--;
    }
    if (value == null) {
      tombstones++;
    }
    e.value = value;
  }

  /** Removes a dirty entry from the pending writes. */
  private void unpend(CacheEntry e) {
    if (e.sorted) {
      pending.remove(e.key.bytes);
      pendingChanges++;
      e.sorted = false;
    } // else it waits in its bucket, where sorting skips it as no longer dirty
    pendingCount--;
    pendingBytes -= e.bytes();
    if (e.value == null) {
      tombstones--;
    }
    e.dirty = false;
  }

  /**
   * Keeps a clean entry if the budget allows; a complete overlay needs no absent entries, and a key
   * read only by scans none at all (completeness does not cover it).
   */
  private void keepClean(CacheEntry e) {
    if (scannedOnly.test(e.key.bytes)) {
      entries.remove(e.key);
      return;
    }
    if (!cache.enabled() || (complete && e.value == null)) {
      entries.remove(e.key);
      if (e.value != null) {
        complete = false; // a committed value this overlay no longer knows
      }
      return;
    }
    clean.add(e);
  }

  /** Removes a clean entry from the hash map and the recency list. */
  private void forget(CacheEntry e) {
    entries.remove(e.key);
    clean.remove(e);
  }

  /**
   * Evicts this store's least recently used clean entries while the thread's cache is over its
   * budget. Other stores evict their own when they next cache something.
   */
  private void evictOverBudget() {
    while (cache.overBudget()) {
      CacheEntry e = clean.evictEldest();
      if (e == null) {
        return;
      }
      entries.remove(e.key);
      if (e.value != null) {
        complete = false;
      }
    }
  }

  /** The sorted pending entries of {@code [from, to)} (null bounds: open). */
  private NavigableMap<byte[], CacheEntry> view(byte[] from, byte[] to) {
    if (from == null) {
      return to == null ? pending : pending.headMap(to, false);
    }
    return to == null ? pending.tailMap(from, true) : pending.subMap(from, true, to, false);
  }

  private static int bucket(byte[] key) {
    return key.length == 0 ? 0 : 1 + (key[0] & 0xff);
  }

  /** Sorts the dirty entries waiting in buckets that may hold keys of {@code [from, to)}. */
  private void sortRange(byte[] from, byte[] to) {
    if (!anyUnsorted) {
      return;
    }
    int lo = from == null ? 0 : bucket(from);
    int hi = to == null ? 256 : (to.length == 0 ? -1 : 1 + (to[0] & 0xff));
    boolean moved = false;
    // Into an empty tree (a commit after no scan, usually) as one sorted array, in linear time;
    // else one put each.
    boolean bulk = pending.isEmpty();
    int count = 0;
    for (int b = lo; b <= hi; b++) {
      if (unsorted[b] == null || unsorted[b].entries.isEmpty()) {
        continue;
      }
      ArrayList<CacheEntry> list = unsorted[b].entries;
      for (int i = 0; i < list.size(); i++) {
        CacheEntry e = list.get(i);
        if (e.dirty && !e.sorted) {
          e.sorted = true;
          moved = true;
          if (!bulk) {
            pending.put(e.key.bytes, e);
          } else {
            if (count == toSort.length) {
              toSort = Arrays.copyOf(toSort, count * 2);
            }
            toSort[count++] = e;
          }
        }
      }
      list.clear();
    }
    if (count > 0) {
      SortedEntries.putAll(pending, toSort, count);
      if (toSort.length > MAX_RETAINED_SORT) {
        toSort = new CacheEntry[64]; // not held for the rest of the store's life
      } else {
        Arrays.fill(toSort, 0, count, null);
      }
    }
    if (moved) {
      pendingChanges++;
    }
    if (lo == 0 && hi == 256) {
      anyUnsorted = false;
    }
  }

  /** The largest {@link #toSort} kept between sorts. */
  private static final int MAX_RETAINED_SORT = 1 << 16;

  /** Reused by {@link #sortRange}: the entries it moves, sorted there. */
  private CacheEntry[] toSort = new CacheEntry[64];

  private void dropUnsorted() {
    for (Bucket bucket : unsorted) {
      if (bucket != null) {
        bucket.entries.clear();
      }
    }
    anyUnsorted = false;
  }

  /**
   * The pending entries of {@code [from, to)} in key order (null bounds: open), weakly consistent:
   * an entry added or removed during the scan ahead of its position is seen or not as it stands
   * when the scan gets there. Walks the map's own iterator while the map's keys do not change, and
   * re-seeks after the last returned key when they did (a TreeMap iterator would fail then).
   */
  private final class PendingIterator implements Iterator<CacheEntry> {
    private final TreeMap<byte[], CacheEntry> map;
    private final byte[] from;
    private final byte[] to;
    private long seenAdds;
    private Iterator<Map.Entry<byte[], CacheEntry>> it;
    private long seen;
    private byte[] last;
    private CacheEntry next;
    private boolean done;

    PendingIterator(TreeMap<byte[], CacheEntry> map, byte[] from, byte[] to) {
      this.map = map;
      this.from = from;
      this.to = to;
      this.seenAdds = unsortedAdds;
      this.it = (from == null ? map : map.tailMap(from, true)).entrySet().iterator();
      this.seen = pendingChanges;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (done) {
        return false;
      }
      if (seenAdds != unsortedAdds && map == pending) {
        sortRange(from, to); // written while scanning: what lies ahead must be seen
        seenAdds = unsortedAdds;
      }
      if (seen != pendingChanges) {
        // The keys changed since the last step (or the map was replaced: then nothing changes in
        // this one any more, and re-seeking in it is merely harmless).
        it =
            (last != null ? map.tailMap(last, false) : from != null ? map.tailMap(from, true) : map)
                .entrySet()
                .iterator();
        seen = pendingChanges;
      }
      if (!it.hasNext()) {
        done = true;
        return false;
      }
      Map.Entry<byte[], CacheEntry> e = it.next();
      if (to != null && ByteKeys.ORDER.compare(e.getKey(), to) >= 0) {
        done = true;
        return false;
      }
      last = e.getKey();
      next = e.getValue();
      return true;
    }

    @Override
    public CacheEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      CacheEntry e = next;
      next = null;
      return e;
    }
  }
}
