package dev.weir.store.internal;

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
     * A 64-bit multiplicative hash of the bytes, folded to 32 bits. Not {@link Arrays#hashCode}:
     * its multiplier 31 makes keys that differ only in a big-endian counter collide in whole groups
     * (a list's element keys, {@code prefix + sequence}, take only {@code 31 * (s >>> 8) + (s &
     * 0xff)} distinct values for sequences {@code s} below 65,536: 2,643 hash codes for a window of
     * 20,000 elements, 473 for 2,000), and the hash map cannot tell equal hash codes apart, so a
     * lookup compared more keys byte by byte the longer the list. An odd 64-bit multiplier keeps
     * every such pair apart (design record 029).
     */
    static int hash(byte[] bytes) {
      long h = bytes.length;
      for (byte b : bytes) {
        h = (h + (b & 0xff)) * 0x9E3779B97F4A7C15L;
      }
      return (int) (h ^ (h >>> 32));
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
