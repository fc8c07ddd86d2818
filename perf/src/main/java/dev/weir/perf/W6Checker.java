package dev.weir.perf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;

/**
 * W6: every expected pair ({@link W6Pairs}) exactly once, as the value {@code
 * "<leftSeq>,<rightSeq>"}, and nothing else.
 */
final class W6Checker extends OutputChecker.Base {
  private final int records;
  private final long[] expected;
  private final BitSet seenPairs;

  W6Checker(Dataset data, long[] expected) {
    this.records = data.records();
    this.expected = expected;
    this.seenPairs = new BitSet(expected.length);
  }

  @Override
  public long accept(byte[] key, byte[] value) {
    String v = value == null ? "null" : new String(value, StandardCharsets.UTF_8);
    int comma = v.indexOf(',');
    int at = -1;
    if (comma > 0) {
      try {
        long l = Long.parseLong(v, 0, comma, 10);
        long r = Long.parseLong(v, comma + 1, v.length(), 10);
        at = Arrays.binarySearch(expected, W6Pairs.id(l, r, records));
      } catch (NumberFormatException e) {
        at = -1;
      }
    }
    if (at < 0) {
      wrong("unexpected pair " + v);
    } else if (seenPairs.get(at)) {
      duplicates++;
    } else {
      seenPairs.set(at);
      seen++;
    }
    return NOT_A_PROBE;
  }

  @Override
  public long expected() {
    return expected.length;
  }
}
