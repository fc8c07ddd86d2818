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
   * linear time, as TreeMap builds from a sorted map with its comparator without comparing keys;
   * runs of ascending keys (a list's appends) make the sort cheap too.
   */
  static void putAll(TreeMap<byte[], CacheEntry> tree, CacheEntry[] entries, int count) {
    Arrays.sort(entries, 0, count, BY_KEY);
    tree.putAll(new SortedEntries(entries, count));
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
