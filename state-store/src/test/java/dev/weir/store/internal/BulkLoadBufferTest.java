package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bulk-load buffer's copies and its stable order, against a reference sort. */
class BulkLoadBufferTest {

  /** Keys of 0 to 3 bytes from a small alphabet with high bytes: many equal keys and prefixes. */
  private static List<byte[]> keys(int n, long seed) {
    Random random = new Random(seed);
    byte[] alphabet = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xff};
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] k = new byte[random.nextInt(4)];
      for (int j = 0; j < k.length; j++) {
        k[j] = alphabet[random.nextInt(alphabet.length)];
      }
      keys.add(k);
    }
    return keys;
  }

  private static void assertOrder(List<byte[]> keys) {
    BulkLoadBuffer buffer = new BulkLoadBuffer();
    for (int i = 0; i < keys.size(); i++) {
      byte[] value = new byte[] {9, (byte) i, (byte) (i >> 8), (byte) (i >> 16)};
      buffer.add(keys.get(i), value, 1, 3);
    }
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      expected.add(i);
    }
    // List.sort is stable: equal keys stay in the order added.
    expected.sort(Comparator.comparing(keys::get, Arrays::compareUnsigned));
    int[] order = buffer.sortedOrder();
    assertThat(order).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
    for (int w : order) {
      assertThat(buffer.keyBytes(w)).isEqualTo(keys.get(w));
      assertThat(bytes(buffer.key(w))).isEqualTo(keys.get(w));
      assertThat(buffer.valueLength(w)).isEqualTo(3);
      assertThat(bytes(buffer.value(w)))
          .containsExactly((byte) w, (byte) (w >> 8), (byte) (w >> 16));
    }
  }

  @Test
  void sortsStablyInRocksDbOrder() {
    assertOrder(keys(10_000, 1));
    assertOrder(keys(3, 2));
    assertOrder(List.of());
  }

  @Test
  void sortedAndReversedInputs() {
    List<byte[]> keys = keys(5_000, 3);
    keys.sort(Arrays::compareUnsigned);
    assertOrder(keys);
    List<byte[]> reversed = new ArrayList<>(keys);
    java.util.Collections.reverse(reversed);
    assertOrder(reversed);
  }

  @Test
  void largeWritesGetTheirOwnSlabAndSlabsAreReused() {
    BulkLoadBuffer buffer = new BulkLoadBuffer();
    byte[] big = new byte[BulkLoadBuffer.SLAB_BYTES + 10];
    big[big.length - 1] = 42;
    buffer.add(new byte[] {1}, big, 0, big.length);
    buffer.add(new byte[] {0}, new byte[0], 0, -1);
    assertThat(buffer.count()).isEqualTo(2);
    assertThat(buffer.bytes()).isEqualTo(1L + big.length + 1 + 2 * BulkLoadBuffer.META_BYTES);
    assertThat(buffer.sortedOrder()).containsExactly(1, 0);
    assertThat(buffer.valueLength(1)).isEqualTo(-1);
    assertThat(bytes(buffer.value(0))).hasSize(big.length).endsWith(42);
    assertThat(bytes(buffer.value(1))).isEmpty();
    buffer.clear();
    assertThat(buffer.count()).isZero();
    buffer.add(new byte[] {2}, new byte[] {3}, 0, 1);
    assertThat(bytes(buffer.key(0))).containsExactly(2);
    assertThat(bytes(buffer.value(0))).containsExactly(3);
  }

  @Test
  void keysLongerThanEightBytesCompareUnsignedAndPrefixesFirst() {
    List<byte[]> keys = new ArrayList<>();
    byte[] base = new byte[19];
    java.util.Arrays.fill(base, (byte) 0x7f);
    for (int i = 0; i < 19; i++) {
      byte[] high = base.clone();
      high[i] = (byte) 0x80;
      keys.add(high);
      keys.add(java.util.Arrays.copyOf(base, i));
      keys.add(java.util.Arrays.copyOf(high, i + 1));
    }
    java.util.Collections.shuffle(keys, new Random(4));
    assertOrder(keys);
  }

  private static byte[] bytes(java.nio.ByteBuffer view) {
    byte[] b = new byte[view.remaining()];
    view.duplicate().get(b);
    return b;
  }
}
