package dev.weir.store.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What an {@link OverlayKeyValueStore} knows of one key: a pending write (dirty) or what the base
 * holds (clean), whether it is sorted into the pending map yet, what the base is known to hold, and
 * its links in the overlay's {@link CleanEntries}.
 */
final class CacheEntry {
  /**
   * Estimated heap per entry beyond key and value bytes: entry object, hash map node and wrapper,
   * sorted-map node while dirty, two array headers.
   */
  static final long ENTRY_OVERHEAD_BYTES = 128;

  /** {@link #inBase}: not known whether the base holds the key. */
  static final byte UNKNOWN = 0;

  /** {@link #inBase}: the base does not hold the key. */
  static final byte ABSENT = 1;

  /** {@link #inBase}: the base holds a value of the key. */
  static final byte PRESENT = 2;

  /** A key of the overlay's hash map: the bytes with their hash ({@link #hash(byte[])}). */
  static final class Key {
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final VarHandle WORDS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final byte[] bytes;
    private final int hash;

    Key(byte[] bytes) {
      this.bytes = bytes;
      this.hash = hash(bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    /**
     * A 64-bit multiplicative hash of the bytes, eight at a time, folded to 32 bits. Not {@link
     * Arrays#hashCode}: its multiplier 31 makes keys that differ only in a big-endian counter
     * collide in whole groups (a list's element keys, {@code prefix + sequence}, take only {@code
     * 31 * (s >>> 8) + (s & 0xff)} distinct values for sequences {@code s} below 65,536: 2,643 hash
     * codes for a window of 20,000 elements, 473 for 2,000), and the hash map cannot tell equal
     * hash codes apart, so a lookup compared more keys byte by byte the longer the list. Adding
     * each word and multiplying by an odd 64-bit constant is one-to-one per step, so keys that
     * differ in one word never share the 64-bit value (design record 029).
     */
    static int hash(byte[] bytes) {
      long h = bytes.length;
      int i = 0;
      for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
        h = (h + (long) WORDS.get(bytes, i)) * MULTIPLIER;
      }
      for (; i < bytes.length; i++) {
        h = (h + (bytes[i] & 0xff)) * MULTIPLIER;
      }
      h ^= h >>> 32;
      h *= MULTIPLIER;
      return (int) (h ^ (h >>> 29));
    }
  }

  final Key key;
  byte[] value; // null: deleted (dirty) or absent (clean)
  boolean dirty;
  boolean sorted; // in pending (a dirty entry not sorted yet waits in a bucket)
  byte inBase = UNKNOWN;
  CacheEntry prev; // in CleanEntries' list
  CacheEntry next;

  CacheEntry(Key key) {
    this.key = key;
  }

  long bytes() {
    return ENTRY_OVERHEAD_BYTES + key.bytes.length + (value == null ? 0 : value.length);
  }
}
