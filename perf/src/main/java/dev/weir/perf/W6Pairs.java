package dev.weir.perf;

import java.util.Arrays;

/**
 * W6's expectation, computed from the data set alone: every pair of a left record (even sequence
 * number) and a right record (odd) of the same key, both on time, whose event times are at most
 * {@link #BOUND_MS} apart, as the sorted ids {@code leftSeq * records + rightSeq}. The
 * two-hour-late records join nothing: every contender sees them far behind event time (Weir's and
 * Flink's watermarks, Kafka Streams' stream time minus its grace) and drops them.
 */
final class W6Pairs {
  /** The join's bounds: {@code -BOUND_MS <= right.time - left.time <= BOUND_MS}. */
  static final long BOUND_MS = 10_000;

  private W6Pairs() {}

  /** Whether record {@code seq} goes to the left topic (the right one otherwise). */
  static boolean isLeft(long seq) {
    return seq % 2 == 0;
  }

  /** The partition of record {@code seq} in its side's topic: round-robin within the side. */
  static int partition(long seq, int partitions) {
    return (int) ((seq / 2) % partitions);
  }

  /** The id of the pair (left, right). */
  static long id(long leftSeq, long rightSeq, int records) {
    return leftSeq * records + rightSeq;
  }

  /** The sorted ids of every expected pair; {@code data} must have been generated. */
  static long[] compute(Dataset data) {
    int n = data.records();
    int keys = data.keys();
    int[] start = new int[keys + 1];
    for (int i = 0; i < n; i++) {
      if (!data.isLate(i)) {
        start[data.keyOf(i) + 1]++;
      }
    }
    for (int k = 0; k < keys; k++) {
      start[k + 1] += start[k];
    }
    // Per key, (time - t0) << 32 | seq, sorted: on-time records are never before t0 and an hour
    // fits in 32 bits of milliseconds.
    long[] byKey = new long[start[keys]];
    int[] fill = Arrays.copyOf(start, keys);
    for (int i = 0; i < n; i++) {
      if (!data.isLate(i)) {
        byKey[fill[data.keyOf(i)]++] = ((data.timeOf(i) - data.t0()) << 32) | i;
      }
    }
    long[] pairs = new long[1024];
    int count = 0;
    for (int k = 0; k < keys; k++) {
      Arrays.sort(byKey, start[k], start[k + 1]);
      for (int a = start[k]; a < start[k + 1]; a++) {
        long ta = byKey[a] >>> 32;
        long sa = byKey[a] & 0xFFFF_FFFFL;
        for (int b = a + 1; b < start[k + 1] && (byKey[b] >>> 32) - ta <= BOUND_MS; b++) {
          long sb = byKey[b] & 0xFFFF_FFFFL;
          if (isLeft(sa) == isLeft(sb)) {
            continue;
          }
          if (count == pairs.length) {
            pairs = Arrays.copyOf(pairs, count * 2);
          }
          pairs[count++] = isLeft(sa) ? id(sa, sb, n) : id(sb, sa, n);
        }
      }
    }
    long[] out = Arrays.copyOf(pairs, count);
    Arrays.sort(out);
    return out;
  }
}
