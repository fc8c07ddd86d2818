package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The overlay's hash map keys: equal bytes are equal keys, counters do not collide. */
class CacheEntryKeyTest {
  /** A list element's key: a shared prefix, then the big-endian sequence (design record 012). */
  private static byte[] elementKey(byte[] prefix, long sequence) {
    return ByteBuffer.allocate(prefix.length + 8).put(prefix).putLong(sequence).array();
  }

  @Test
  void keysThatDifferOnlyInABigEndianCounterHaveDistinctHashes() {
    // Every alignment of the counter against the hash's 8-byte words.
    for (int prefixLength = 30; prefixLength < 46; prefixLength++) {
      byte[] prefix = new byte[prefixLength];
      java.util.Arrays.fill(prefix, (byte) 'p');
      Set<Integer> hashes = new HashSet<>();
      for (long s = 0; s < 20_000; s++) {
        hashes.add(new CacheEntry.Key(elementKey(prefix, s)).hashCode());
      }
      // Arrays.hashCode gives such 20,000 keys 2,643 distinct values (the first 2,000: 473).
      assertThat(hashes).as("prefix of %d bytes", prefixLength).hasSize(20_000);
    }
  }

  @Test
  void equalBytesAreEqualKeysWithEqualHashes() {
    byte[] a = elementKey(new byte[] {1, 2, 3}, 77);
    CacheEntry.Key k1 = new CacheEntry.Key(a);
    CacheEntry.Key k2 = new CacheEntry.Key(a.clone());
    assertThat(k1).isEqualTo(k2);
    assertThat(k1.hashCode()).isEqualTo(k2.hashCode());
    assertThat(new CacheEntry.Key(new byte[0])).isEqualTo(new CacheEntry.Key(new byte[0]));
    assertThat(k1).isNotEqualTo(new CacheEntry.Key(elementKey(new byte[] {1, 2, 3}, 78)));
  }
}
