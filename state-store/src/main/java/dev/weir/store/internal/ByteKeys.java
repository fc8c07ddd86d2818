package dev.weir.store.internal;

import java.util.Arrays;
import java.util.Comparator;

/** Unsigned lexicographic key order and the range arithmetic built on it. */
final class ByteKeys {
  /** The store key order: unsigned lexicographic, a prefix before its extensions. */
  static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

  static final byte[] EMPTY = new byte[0];

  private ByteKeys() {}

  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /**
   * Returns the smallest key greater than every key starting with {@code prefix}, or null when
   * there is none (the prefix is empty or all {@code 0xff}): trailing {@code 0xff} bytes are
   * dropped and the last remaining byte incremented.
   */
  static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xff) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }

  /** True when {@code [from, to)} with null meaning unbounded can hold no key. */
  static boolean isEmptyRange(byte[] fromInclusive, byte[] toExclusive) {
    return fromInclusive != null && toExclusive != null && compare(fromInclusive, toExclusive) >= 0;
  }

  static byte[] copy(byte[] bytes) {
    return bytes.clone();
  }
}
