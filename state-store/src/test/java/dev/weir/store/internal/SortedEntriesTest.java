package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The overlay's sort of its pending entries: the same order as {@link ByteKeys#ORDER} on every
 * shape of key set, whichever way it sorts (comparator below {@link SortedEntries#ABBREVIATED_MIN}
 * entries, abbreviated keys above).
 */
class SortedEntriesTest {

  /** A timer's store key: scope, domain, time, then a length-prefixed key, as TimerStore writes. */
  private static byte[] timerKey(long time, byte[] key) {
    return ByteBuffer.allocate(2 + 8 + 4 + key.length)
        .put((byte) 't')
        .put((byte) 'e')
        .putLong(time ^ Long.MIN_VALUE)
        .putInt(key.length)
        .put(key)
        .array();
  }

  /** Sorts the keys (shuffled) through the overlay's path, returns them in the order it gave. */
  private static List<byte[]> sortedBySortedEntries(List<byte[]> keys, long seed) {
    List<byte[]> shuffled = new ArrayList<>(keys);
    java.util.Collections.shuffle(shuffled, new java.util.Random(seed));
    CacheEntry[] entries = new CacheEntry[shuffled.size() + 3]; // spare slots, as the overlay has
    for (int i = 0; i < shuffled.size(); i++) {
      entries[i] = new CacheEntry(new CacheEntry.Key(shuffled.get(i)));
    }
    SortedEntries.sort(entries, shuffled.size());
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < shuffled.size(); i++) {
      out.add(entries[i].key.bytes);
    }
    assertThat(Arrays.asList(entries).subList(shuffled.size(), entries.length)).containsOnlyNulls();
    return out;
  }

  private static List<byte[]> expected(List<byte[]> keys) {
    List<byte[]> e = new ArrayList<>(keys);
    e.sort(ByteKeys.ORDER);
    return e;
  }

  private static void assertSortsLikeTheComparator(List<byte[]> keys) {
    for (long seed = 0; seed < 3; seed++) {
      assertThat(sortedBySortedEntries(keys, seed))
          .as("%d keys, shuffle %d", keys.size(), seed)
          .containsExactlyElementsOf(expected(keys));
    }
  }

  /** {@code count} distinct keys: those of {@code first}, then from {@code next} until enough. */
  private static List<byte[]> distinct(int count, List<byte[]> first, Supplier<byte[]> next) {
    Set<ByteBuffer> keys = new LinkedHashSet<>();
    first.forEach(k -> keys.add(ByteBuffer.wrap(k)));
    while (keys.size() < count) {
      keys.add(ByteBuffer.wrap(next.get()));
    }
    List<byte[]> out = new ArrayList<>();
    keys.forEach(b -> out.add(b.array()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 63, 64, 65, 1_000, 20_000})
  void windowTimersOfManyKeysAtAFewTimesSortInTimeThenKeyOrder(int count) {
    SplittableRandom r = new SplittableRandom(count);
    Supplier<byte[]> timer =
        () -> {
          long time = 1_700_000_010_000L + 10_000L * r.nextInt(3);
          byte[] key = String.format("k%04d", r.nextInt(10_000)).getBytes();
          byte[] inner =
              ByteBuffer.allocate(4 + key.length + 16)
                  .putInt(key.length)
                  .put(key)
                  .putLong(time - 10_000) // the window's namespace: start, end
                  .putLong(time)
                  .array();
          return timerKey(time, inner);
        };
    assertSortsLikeTheComparator(distinct(count, List.of(), timer));
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 200, 5_000})
  void keysThatArePrefixesOfOthersOrEndInZeroBytesKeepTheirOrder(int count) {
    // Zero padding makes {p}, {p,0}, {p,0,0} and {p,0,0,0,0,0,0} abbreviate alike: the comparator
    // settles them, and {p,0,0,0,0,0,1} still sorts after all of them.
    SplittableRandom r = new SplittableRandom(count);
    byte[] prefix = {9, 9, 9};
    List<byte[]> zeroExtended = new ArrayList<>();
    for (int zeros = 0; zeros < 8; zeros++) {
      zeroExtended.add(Arrays.copyOf(prefix, prefix.length + zeros));
    }
    Supplier<byte[]> mostlyZeros =
        () -> {
          byte[] k = Arrays.copyOf(prefix, prefix.length + r.nextInt(0, 9));
          for (int i = prefix.length; i < k.length; i++) {
            k[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : 0);
          }
          return k;
        };
    assertSortsLikeTheComparator(distinct(count, zeroExtended, mostlyZeros));
  }

  @Test
  void manyKeysThatAreZeroExtensionsOfEachOtherEndInTheComparator() {
    // {p}, {p,0}, {p,0,0}, ...: equal at every abbreviation, told apart only by their lengths.
    List<byte[]> keys = new ArrayList<>();
    for (int zeros = 0; zeros < 150; zeros++) {
      keys.add(Arrays.copyOf(new byte[] {4, 2}, 2 + zeros));
    }
    keys.add(new byte[] {4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    assertSortsLikeTheComparator(keys);
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 3_000})
  void bytesAboveSeventyFSortUnsignedAndTiesOnFiveBytesAreSettledLater(int count) {
    SplittableRandom r = new SplittableRandom(count);
    Supplier<byte[]> tying =
        () -> {
          byte[] k = new byte[12];
          k[0] = (byte) 0xF0; // shared
          // Five bytes from two values only, so many keys tie on them; the tail differs.
          Arrays.fill(k, 1, 6, r.nextBoolean() ? (byte) 0x7F : (byte) 0x80);
          for (int i = 6; i < k.length; i++) {
            k[i] = (byte) r.nextInt(256);
          }
          return k;
        };
    assertSortsLikeTheComparator(distinct(count, List.of(), tying));
  }

  @ParameterizedTest
  @ValueSource(ints = {64, 1_000})
  void keysOfEveryLengthIncludingTheEmptyKeyAndNoSharedPrefix(int count) {
    SplittableRandom r = new SplittableRandom(count);
    Supplier<byte[]> any =
        () -> {
          byte[] k = new byte[r.nextInt(0, 12)];
          for (int i = 0; i < k.length; i++) {
            k[i] = (byte) r.nextInt(256);
          }
          return k;
        };
    assertSortsLikeTheComparator(distinct(count, List.of(new byte[0]), any));
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 500})
  void putAllFillsAnEmptyTreeWithEveryEntryInOrder(int count) {
    List<byte[]> keys = new ArrayList<>();
    for (int i = count - 1; i >= 0; i--) {
      keys.add(timerKey(1_000 + i % 7, ("key-" + i).getBytes()));
    }
    CacheEntry[] entries = new CacheEntry[count];
    for (int i = 0; i < count; i++) {
      entries[i] = new CacheEntry(new CacheEntry.Key(keys.get(i)));
    }
    TreeMap<byte[], CacheEntry> tree = new TreeMap<>(ByteKeys.ORDER);
    SortedEntries.putAll(tree, entries, count);
    assertThat(new ArrayList<>(tree.keySet())).containsExactlyElementsOf(expected(keys));
    tree.forEach((k, e) -> assertThat(e.key.bytes).isSameAs(k));
  }
}
