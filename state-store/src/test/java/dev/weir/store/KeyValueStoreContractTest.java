package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.entries;
import static dev.weir.store.TestBytes.hex;
import static dev.weir.store.TestBytes.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link KeyValueStore} promises, run against each implementation by a subclass
 * that supplies a fresh task with stores {@code "a"} and {@code "b"}.
 */
abstract class KeyValueStoreContractTest {
  @TempDir Path directory;
  private StoreFixture fixture;
  KeyValueStore store;

  abstract StoreFixture createFixture(Path directory);

  @BeforeEach
  void openFixture() {
    fixture = createFixture(directory);
    store = fixture.store("a");
  }

  @AfterEach
  void closeFixture() {
    fixture.close();
  }

  void settle() {
    fixture.settle();
  }

  KeyValueStore otherStore() {
    return fixture.store("b");
  }

  @Test
  void reportsItsName() {
    assertThat(store.name()).isEqualTo("a");
  }

  @Test
  void getOfAbsentKeyIsNull() {
    assertThat(store.get(bytes(1))).isNull();
  }

  @Test
  void putThenGet() {
    store.put(bytes(1), bytes(10, 11));
    settle();
    assertThat(hex(store.get(bytes(1)))).isEqualTo("0a0b");
  }

  @Test
  void putOverwrites() {
    store.put(bytes(1), bytes(10));
    settle();
    store.put(bytes(1), bytes(20));
    settle();
    assertThat(hex(store.get(bytes(1)))).isEqualTo("14");
    assertThat(keys(store.all())).containsExactly("01");
  }

  @Test
  void deleteRemovesAndDeletingAbsentKeyIsHarmless() {
    store.put(bytes(1), bytes(10));
    store.put(bytes(2), bytes(20));
    settle();
    store.delete(bytes(1));
    store.delete(bytes(9));
    settle();
    assertThat(store.get(bytes(1))).isNull();
    assertThat(keys(store.all())).containsExactly("02");
  }

  @Test
  void emptyKeysAndEmptyValuesAreStored() {
    store.put(new byte[0], new byte[0]);
    store.put(bytes(0), new byte[0]);
    settle();
    assertThat(store.get(new byte[0])).isEmpty();
    assertThat(entries(store.all())).containsExactly(entry("", ""), entry("00", ""));
  }

  @Test
  void callerArraysAreNeitherKeptNorShared() {
    byte[] key = bytes(1);
    byte[] value = bytes(10);
    store.put(key, value);
    key[0] = 2;
    value[0] = 99;
    settle();
    byte[] read = store.get(bytes(1));
    read[0] = 77;
    try (KeyValueIterator it = store.all()) {
      it.next().value()[0] = 55;
    }
    assertThat(hex(store.get(bytes(1)))).isEqualTo("0a");
    assertThat(store.get(bytes(2))).isNull();
  }

  @Test
  void nullArgumentsAreRejected() {
    assertThatThrownBy(() -> store.put(bytes(1), null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.put(null, bytes(1))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.prefixScan(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void keysAreOrderedUnsignedLexicographically() {
    for (byte[] key :
        List.of(bytes(0xff), bytes(0x80), bytes(0x7f), bytes(0), bytes(0, 0), bytes(0xff, 0))) {
      store.put(key, bytes(1));
    }
    store.put(new byte[0], bytes(1));
    settle();
    assertThat(keys(store.all())).containsExactly("", "00", "0000", "7f", "80", "ff", "ff00");
  }

  @Test
  void rangeHonoursInclusiveAndExclusiveAndNullBounds() {
    putKeys(0x10, 0x20, 0x30, 0x80, 0xf0);
    settle();
    assertThat(keys(store.range(bytes(0x20), bytes(0x80)))).containsExactly("20", "30");
    assertThat(keys(store.range(bytes(0x21), bytes(0x81)))).containsExactly("30", "80");
    assertThat(keys(store.range(null, bytes(0x30)))).containsExactly("10", "20");
    assertThat(keys(store.range(bytes(0x7f), null))).containsExactly("80", "f0");
    assertThat(keys(store.range(null, null))).containsExactly("10", "20", "30", "80", "f0");
  }

  @Test
  void emptyAndInvertedRangesYieldNothing() {
    putKeys(0x10, 0x20, 0x30);
    settle();
    assertThat(keys(store.range(bytes(0x20), bytes(0x20)))).isEmpty();
    assertThat(keys(store.range(bytes(0x30), bytes(0x10)))).isEmpty();
    assertThat(keys(store.range(bytes(0x40), null))).isEmpty();
  }

  @Test
  void forEachKeyPassesTheKeysOfTheRangeAscending() {
    putKeys(0x10, 0x20, 0x30, 0x80, 0xf0);
    store.put(bytes(0x20, 0x00), bytes());
    settle();
    assertThat(forEachKey(bytes(0x20), bytes(0x80))).containsExactly("20", "2000", "30");
    assertThat(forEachKey(null, bytes(0x30))).containsExactly("10", "20", "2000");
    assertThat(forEachKey(bytes(0x7f), null)).containsExactly("80", "f0");
    assertThat(forEachKey(null, null)).containsExactly("10", "20", "2000", "30", "80", "f0");
    assertThat(forEachKey(bytes(0x20), bytes(0x20))).isEmpty();
    assertThat(forEachKey(bytes(0x30), bytes(0x10))).isEmpty();
    assertThat(forEachKey(bytes(0xf1), null)).isEmpty();
  }

  @Test
  void forEachKeyHandsOutArraysTheStoreDoesNotUse() {
    putKeys(0x10);
    settle();
    store.forEachKey(null, null, key -> key[0] = 0x11);
    assertThat(keys(store.all())).containsExactly("10");
    assertThat(forEachKey(null, null)).containsExactly("10");
  }

  private List<String> forEachKey(byte[] from, byte[] to) {
    List<String> keys = new ArrayList<>();
    store.forEachKey(from, to, key -> keys.add(hex(key)));
    return keys;
  }

  @Test
  void prefixScanSelectsExactlyTheKeysWithThePrefix() {
    for (byte[] key :
        List.of(bytes(1), bytes(1, 0), bytes(1, 0xff), bytes(1, 0xff, 3), bytes(2), bytes(0))) {
      store.put(key, bytes(9));
    }
    settle();
    assertThat(keys(store.prefixScan(bytes(1)))).containsExactly("01", "0100", "01ff", "01ff03");
    assertThat(keys(store.prefixScan(bytes(1, 0xff)))).containsExactly("01ff", "01ff03");
    assertThat(keys(store.prefixScan(bytes(3)))).isEmpty();
  }

  @Test
  void prefixScanHandlesPrefixesOfOnlyFfBytes() {
    for (byte[] key :
        List.of(
            bytes(0xfe, 0xff),
            bytes(0xff),
            bytes(0xff, 0),
            bytes(0xff, 0xff),
            bytes(0xff, 0xff, 0xff))) {
      store.put(key, bytes(9));
    }
    settle();
    assertThat(keys(store.prefixScan(bytes(0xff)))).containsExactly("ff", "ff00", "ffff", "ffffff");
    assertThat(keys(store.prefixScan(bytes(0xff, 0xff)))).containsExactly("ffff", "ffffff");
    assertThat(keys(store.prefixScan(bytes(0xfe)))).containsExactly("feff");
    assertThat(keys(store.prefixScan(new byte[0]))).hasSize(5);
  }

  @Test
  void iteratorsCreatedAfterDeletesDoNotSeeDeletedKeys() {
    putKeys(1, 2, 3, 4);
    settle();
    store.delete(bytes(2));
    store.delete(bytes(4));
    settle();
    assertThat(keys(store.all())).containsExactly("01", "03");
    assertThat(keys(store.range(bytes(2), bytes(5)))).containsExactly("03");
    assertThat(keys(store.prefixScan(bytes(4)))).isEmpty();
  }

  @Test
  void deletingEachVisitedKeyDuringIterationWorks() {
    putKeys(1, 2, 3, 4, 5);
    settle();
    int visited = 0;
    try (KeyValueIterator it = store.range(bytes(2), null)) {
      while (it.hasNext()) {
        store.delete(it.next().key());
        visited++;
      }
    }
    settle();
    assertThat(visited).isEqualTo(4);
    assertThat(keys(store.all())).containsExactly("01");
  }

  @Test
  void deleteRangeRemovesTheHalfOpenRange() {
    putKeys(1, 2, 3, 4, 5);
    settle();
    store.deleteRange(bytes(2), bytes(4));
    settle();
    assertThat(keys(store.all())).containsExactly("01", "04", "05");
  }

  @Test
  void deleteRangeWithNullBounds() {
    putKeys(1, 2, 3, 0xfe, 0xff);
    store.put(bytes(0xff, 0xff), bytes(1));
    settle();
    store.deleteRange(null, bytes(2));
    store.deleteRange(bytes(0xfe), null);
    settle();
    assertThat(keys(store.all())).containsExactly("02", "03");
    store.deleteRange(null, null);
    store.deleteRange(bytes(3), bytes(1));
    settle();
    assertThat(keys(store.all())).isEmpty();
  }

  @Test
  void iteratorLifecycle() {
    putKeys(1);
    settle();
    KeyValueIterator it = store.all();
    assertThat(it.next().key()).containsExactly(1);
    assertThat(it.hasNext()).isFalse();
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
    it.close();
    it.close();
    assertThatThrownBy(it::hasNext).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(it::remove).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void approximateNumEntriesTracksDistinctKeys() {
    assertThat(store.approximateNumEntries()).isZero();
    for (int i = 0; i < 1000; i++) {
      store.put(bytes(i >> 8, i), bytes(i));
    }
    settle();
    assertThat(store.approximateNumEntries()).isBetween(900L, 1100L);
  }

  @Test
  void storesOfOneTaskAreIsolated() {
    KeyValueStore other = otherStore();
    store.put(bytes(1), bytes(10));
    other.put(bytes(1), bytes(20));
    other.put(bytes(2), bytes(21));
    settle();
    assertThat(hex(store.get(bytes(1)))).isEqualTo("0a");
    assertThat(keys(store.all())).containsExactly("01");
    store.deleteRange(null, null);
    settle();
    assertThat(keys(other.all())).containsExactly("01", "02");
  }

  @Test
  void randomOperationsMatchASortedMapModel() {
    Random random = new Random(20_260_101L);
    NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
    for (int step = 0; step < 4000; step++) {
      byte[] key = randomKey(random);
      byte[] to = random.nextInt(4) == 0 ? null : randomKey(random);
      byte[] from = random.nextInt(4) == 0 ? null : key;
      switch (random.nextInt(10)) {
        case 0, 1, 2, 3 -> {
          byte[] value = randomKey(random);
          store.put(key, value);
          model.put(key, value);
        }
        case 4, 5 -> {
          store.delete(key);
          model.remove(key);
        }
        case 6 -> {
          store.deleteRange(from, to);
          view(model, from, to).clear();
        }
        case 7 -> assertThat(hex(store.get(key))).isEqualTo(hex(model.get(key)));
        case 8 -> {
          assertThat(entries(store.range(from, to)))
              .containsExactlyEntriesOf(hexMap(view(model, from, to)));
          assertThat(forEachKey(from, to))
              .containsExactlyElementsOf(hexMap(view(model, from, to)).keySet());
        }
        default -> {
          byte[] prefix = Arrays.copyOf(key, Math.min(key.length, random.nextInt(3)));
          NavigableMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
          model.forEach(
              (k, v) -> {
                if (k.length >= prefix.length
                    && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                  expected.put(k, v);
                }
              });
          assertThat(entries(store.prefixScan(prefix))).containsExactlyEntriesOf(hexMap(expected));
        }
      }
      if (step % 97 == 0) {
        settle();
      }
    }
    settle();
    assertThat(entries(store.all())).containsExactlyEntriesOf(hexMap(model));
  }

  /** Keys of up to three bytes drawn from values around the signed/unsigned boundaries. */
  private static byte[] randomKey(Random random) {
    int[] alphabet = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
    byte[] key = new byte[random.nextInt(4)];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) alphabet[random.nextInt(alphabet.length)];
    }
    return key;
  }

  private static NavigableMap<byte[], byte[]> view(
      NavigableMap<byte[], byte[]> map, byte[] from, byte[] to) {
    if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) {
      return new TreeMap<>(Arrays::compareUnsigned);
    }
    NavigableMap<byte[], byte[]> view = from == null ? map : map.tailMap(from, true);
    return to == null ? view : view.headMap(to, false);
  }

  private static Map<String, String> hexMap(Map<byte[], byte[]> map) {
    Map<String, String> result = new LinkedHashMap<>();
    map.forEach((k, v) -> result.put(hex(k), hex(v)));
    return result;
  }

  private void putKeys(int... keys) {
    for (int key : keys) {
      store.put(bytes(key), bytes(key));
    }
  }

  private static Map.Entry<String, String> entry(String key, String value) {
    return Map.entry(key, value);
  }
}
