package dev.weir.store.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Entries sorted by key with distinct keys, seen as a sorted map only as far as {@link
 * TreeMap#putAll} reads one: its size, comparator and entries in order.
 */
final class SortedEntries extends AbstractMap<byte[], CacheEntry>
    implements SortedMap<byte[], CacheEntry> {
  private static final Comparator<CacheEntry> BY_KEY =
      (a, b) -> ByteKeys.ORDER.compare(a.key.bytes, b.key.bytes);

  /**
   * Sorts {@code entries[0, count)} (distinct keys) and puts them into the empty {@code tree}: in
   * linear time, as TreeMap builds from a sorted map with its comparator without comparing keys.
   */
  static void putAll(TreeMap<byte[], CacheEntry> tree, CacheEntry[] entries, int count) {
    sort(entries, count);
    tree.putAll(new SortedEntries(entries, count));
  }

  /** Below this many entries a comparator sort is as cheap as building the abbreviations. */
  static final int ABBREVIATED_MIN = 64;

  /** The most entries an abbreviation can index (its low 24 bits). */
  static final int ABBREVIATED_MAX = 1 << 24;

  private static final int INDEX_BITS = 24;
  private static final int ABBREVIATED_BYTES = 5;

  /**
   * Sorts {@code entries[0, count)} (distinct keys) by key in {@link ByteKeys#ORDER}. Keys a task's
   * overlay sorts share long prefixes (a scope byte, an operator's prefix, a timer's time), so a
   * comparator sort compares those bytes again and again, each comparison two dereferences away
   * from the array. Instead each entry gets a {@code long}: the {@value #ABBREVIATED_BYTES} key
   * bytes after the prefix all the keys share (zero-padded past a key's end) in the high bits, its
   * position in the low {@value #INDEX_BITS}; a sort of those primitives orders the entries by
   * those bytes. Each run of entries whose bytes there are equal is sorted the same way from its
   * own shared prefix (timers: first by time, then by key within a time), and by the comparator
   * once it is short or a key ended inside the bytes (zero padding then ties a key with its
   * extensions by zeros, which only the comparator tells apart). Design record 043.
   */
  static void sort(CacheEntry[] entries, int count) {
    if (count < ABBREVIATED_MIN || count >= ABBREVIATED_MAX) {
      Arrays.sort(entries, 0, count, BY_KEY);
      return;
    }
    // Both arrays die with this sort: nothing stays referenced from them.
    sort(entries, 0, count, 0, new long[count], new CacheEntry[count]);
  }

  /**
   * Sorts {@code entries[from, to)}, whose keys all share their first {@code known} bytes, using
   * {@code packed} and {@code scratch} in the same range.
   */
  private static void sort(
      CacheEntry[] entries, int from, int to, int known, long[] packed, CacheEntry[] scratch) {
    if (to - from < ABBREVIATED_MIN) {
      Arrays.sort(entries, from, to, BY_KEY);
      return;
    }
    byte[] first = entries[from].key.bytes;
    int shared = first.length;
    for (int i = from + 1; i < to && shared > known; i++) {
      byte[] k = entries[i].key.bytes;
      int m = Arrays.mismatch(first, 0, shared, k, 0, Math.min(shared, k.length));
      if (m >= 0) {
        shared = m;
      }
    }
    if (shared < known) {
      // A key ended inside the bytes the caller's run tied on: only the comparator orders it.
      Arrays.sort(entries, from, to, BY_KEY);
      return;
    }
    for (int i = from; i < to; i++) {
      // The sign bit flipped: a signed sort of the longs is then an unsigned sort of the bytes.
      long position = i - from;
      packed[i] = (abbreviation(entries[i].key.bytes, shared) << INDEX_BITS | position) ^ SIGN;
    }
    Arrays.sort(packed, from, to);
    System.arraycopy(entries, from, scratch, from, to - from);
    for (int i = from; i < to; i++) {
      entries[i] = scratch[from + (int) (packed[i] & INDEX_MASK)];
    }
    int runStart = from;
    for (int i = from + 1; i <= to; i++) {
      if (i == to || (packed[i] ^ packed[runStart]) >>> INDEX_BITS != 0) {
        if (i - runStart > 1) {
          sort(entries, runStart, i, shared + ABBREVIATED_BYTES, packed, scratch);
        }
        runStart = i;
      }
    }
  }

  private static final long SIGN = Long.MIN_VALUE;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

  /** The {@link #ABBREVIATED_BYTES} bytes of {@code key} from {@code from}, zero-padded. */
  private static long abbreviation(byte[] key, int from) {
    long a = 0;
    for (int j = from; j < from + ABBREVIATED_BYTES; j++) {
      a = a << 8 | (j < key.length ? key[j] & 0xff : 0);
    }
    return a;
  }

  private final CacheEntry[] sorted;
  private final int count;

  private SortedEntries(CacheEntry[] sorted, int count) {
    this.sorted = sorted;
    this.count = count;
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public Comparator<? super byte[]> comparator() {
    return ByteKeys.ORDER;
  }

  @Override
  public Set<Map.Entry<byte[], CacheEntry>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return count;
      }

      @Override
      public Iterator<Map.Entry<byte[], CacheEntry>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < count;
          }

          @Override
          public Map.Entry<byte[], CacheEntry> next() {
            if (next >= count) {
              throw new NoSuchElementException();
            }
            CacheEntry e = sorted[next++];
            return new AbstractMap.SimpleImmutableEntry<>(e.key.bytes, e);
          }
        };
      }
    };
  }

  @Override
  public SortedMap<byte[], CacheEntry> subMap(byte[] fromKey, byte[] toKey) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SortedMap<byte[], CacheEntry> headMap(byte[] toKey) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SortedMap<byte[], CacheEntry> tailMap(byte[] fromKey) {
    throw new UnsupportedOperationException();
  }

  @Override
  public byte[] firstKey() {
    return sorted[0].key.bytes;
  }

  @Override
  public byte[] lastKey() {
    return sorted[count - 1].key.bytes;
  }
}
