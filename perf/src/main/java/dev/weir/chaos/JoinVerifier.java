package dev.weir.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks the interval join results of {@link ChaosPipeline.Kind#COUNT_WINDOWS_AND_JOIN}: one result
 * {@code "key:leftSeq:rightSeq"} for every pair of an even-{@code seq} and an odd-{@code seq}
 * record of the same key whose event times are at most the bound apart, computed from the seed
 * alone (no record of the workload is late, so every such pair must join).
 *
 * <p>An expected pair with no result is <em>lost</em>, one with several results is
 * <em>duplicated</em>, and a result for no expected pair, or that does not parse, is
 * <em>wrong</em>.
 *
 * <p><b>Threading:</b> as {@link Verifier}.
 */
final class JoinVerifier implements OutputCheck {
  private static final int EXAMPLES = 10;

  private final Workload workload;
  private final long[] pairs;
  private final int[] seen;
  private final List<String> duplicateExamples = new ArrayList<>();
  private final List<String> wrongExamples = new ArrayList<>();
  private volatile int distinct;
  private long outputs;
  private long wrong;

  /**
   * @param workload the input
   * @param boundMs the join's bound: pairs at most this many milliseconds apart
   */
  JoinVerifier(Workload workload, long boundMs) {
    this.workload = workload;
    this.pairs = expectedPairs(workload, boundMs);
    this.seen = new int[pairs.length];
  }

  /** The sorted ids ({@link #id}) of every pair the join must produce. */
  static long[] expectedPairs(Workload workload, long boundMs) {
    int n = workload.records();
    int keys = workload.keys();
    int[] start = new int[keys + 1];
    for (int seq = 0; seq < n; seq++) {
      start[workload.keyIndex(seq) + 1]++;
    }
    for (int k = 0; k < keys; k++) {
      start[k + 1] += start[k];
    }
    // Per key: event-time offset << 32 | seq, sorted by time. Offsets fit in 31 bits for any
    // workload the suite runs (2 ms per record).
    long[] byKey = new long[n];
    int[] fill = Arrays.copyOf(start, keys);
    for (int seq = 0; seq < n; seq++) {
      byKey[fill[workload.keyIndex(seq)]++] = (workload.eventTimeOffsetMs(seq) << 32) | seq;
    }
    long[] out = new long[1024];
    int count = 0;
    for (int k = 0; k < keys; k++) {
      Arrays.sort(byKey, start[k], start[k + 1]);
      for (int a = start[k]; a < start[k + 1]; a++) {
        long ta = byKey[a] >>> 32;
        int sa = (int) byKey[a];
        for (int b = a + 1; b < start[k + 1] && (byKey[b] >>> 32) - ta <= boundMs; b++) {
          int sb = (int) byKey[b];
          if (sa % 2 == sb % 2) {
            continue;
          }
          if (count == out.length) {
            out = Arrays.copyOf(out, count * 2);
          }
          out[count++] = sa % 2 == 0 ? id(sa, sb, n) : id(sb, sa, n);
        }
      }
    }
    long[] sorted = Arrays.copyOf(out, count);
    Arrays.sort(sorted);
    return sorted;
  }

  static long id(long leftSeq, long rightSeq, int records) {
    return leftSeq * records + rightSeq;
  }

  @Override
  public int distinct() {
    return distinct;
  }

  @Override
  public int expected() {
    return pairs.length;
  }

  @Override
  public synchronized void accept(int partition, long offset, String key, String value) {
    if (key != null && key.startsWith("~")) {
      return;
    }
    outputs++;
    String[] parts = value == null ? new String[0] : value.split(":");
    int at = -1;
    if (parts.length == 3 && parts[0].equals(key)) {
      try {
        long l = Long.parseLong(parts[1]);
        long r = Long.parseLong(parts[2]);
        if (l >= 0 && r >= 0 && l < workload.records() && r < workload.records()) {
          at = Arrays.binarySearch(pairs, id(l, r, workload.records()));
          if (at >= 0 && !workload.key((int) l).equals(key)) {
            at = -1;
          }
        }
      } catch (NumberFormatException e) {
        at = -1;
      }
    }
    if (at < 0) {
      wrong++;
      if (wrongExamples.size() < EXAMPLES) {
        wrongExamples.add(
            "partition "
                + partition
                + " offset "
                + offset
                + ": unexpected join result '"
                + key
                + "'='"
                + value
                + "'");
      }
      return;
    }
    int times = ++seen[at];
    if (times == 1) {
      distinct++;
    } else if (times == 2 && duplicateExamples.size() < EXAMPLES) {
      duplicateExamples.add(value + " again at partition " + partition + " offset " + offset);
    }
  }

  @Override
  public synchronized Verifier.Verdict verdict() {
    long lost = 0;
    long duplicated = 0;
    List<String> firstLost = new ArrayList<>();
    int n = workload.records();
    for (int i = 0; i < pairs.length; i++) {
      if (seen[i] == 0) {
        lost++;
        if (firstLost.size() < EXAMPLES) {
          firstLost.add(pairs[i] / n + "+" + pairs[i] % n);
        }
      } else if (seen[i] > 1) {
        duplicated++;
      }
    }
    StringBuilder details = new StringBuilder();
    Verifier.section(
        details, lost, "lost", "of " + pairs.length + " join results; first: " + firstLost);
    Verifier.section(
        details,
        duplicated,
        "duplicated",
        "join results; first: " + String.join("; ", duplicateExamples));
    Verifier.section(
        details, wrong, "wrong", "join results; first: " + String.join("; ", wrongExamples));
    return new Verifier.Verdict(
        workload.records(), outputs, lost, duplicated, wrong, details.toString().trim());
  }
}
