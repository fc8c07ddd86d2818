package dev.weir.perf;

/** 64-bit FNV-1a, to compare output content by an order-independent sum of record hashes. */
final class Fnv {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fnv() {}

  static long hash(byte[] bytes) {
    long h = OFFSET;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= PRIME;
    }
    return h;
  }
}
