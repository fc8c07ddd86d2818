package dev.weir.perf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * W8's exact output check: the keyed running count of W3 over an input the harness generates while
 * the run goes on, so the expected counts are known only at the end ({@link #verdict(int[])}).
 * Under exactly-once, the read_committed output of a key (one output partition, one writer at a
 * time) must be its counts 1, 2, ..., n in order: a count that repeats or goes back is a duplicate,
 * one that skips ahead means updates were lost. Called from the reader thread only.
 */
final class W8Checker {
  private final int keys;
  private final long[] last;
  private long seen;
  private long duplicates;
  private long skipped;
  private long wrong;
  private String firstProblem;

  /**
   * @param keys distinct keys of the input, named by {@link #keyName}
   */
  W8Checker(int keys) {
    this.keys = keys;
    this.last = new long[keys];
  }

  /** The name of key {@code index}: {@code k} and six or more digits. */
  static String keyName(int index) {
    return String.format(java.util.Locale.ROOT, "k%06d", index);
  }

  /**
   * Takes one output record in the order the reader saw it.
   *
   * @param key the output key (UTF-8 key name), may be null (then wrong)
   * @param value the count as an 8-byte long, may be null (then wrong)
   */
  void accept(byte[] key, byte[] value) {
    String k = key == null ? "" : new String(key, StandardCharsets.UTF_8);
    int index = k.length() > 1 && k.charAt(0) == 'k' ? parse(k) : -1;
    if (index < 0 || index >= keys || value == null || value.length != 8) {
      problem("unexpected record key=" + k);
      wrong++;
      return;
    }
    long count = ByteBuffer.wrap(value).getLong();
    long expected = last[index] + 1;
    if (count == expected) {
      seen++;
      last[index] = count;
    } else if (count < expected) {
      duplicates++;
      problem(k + " counted " + count + " again (after " + last[index] + ")");
    } else {
      skipped += count - expected;
      problem(k + " jumped from " + last[index] + " to " + count);
      seen++;
      last[index] = count;
    }
  }

  private static int parse(String k) {
    try {
      return Integer.parseInt(k, 1, k.length(), 10);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void problem(String what) {
    if (firstProblem == null) {
      firstProblem = what;
    }
  }

  /** Outputs taken in order so far. */
  long seen() {
    return seen;
  }

  /**
   * The verdict once the output has been read to its end.
   *
   * @param sentPerKey records sent per key, indexed like {@link #keyName}
   * @return ok when every key's output is exactly 1..n in order
   */
  OutputChecker.Verdict verdict(int[] sentPerKey) {
    long expected = 0;
    long missing = 0;
    long beyond = 0;
    for (int i = 0; i < keys; i++) {
      expected += sentPerKey[i];
      if (last[i] < sentPerKey[i]) {
        missing += sentPerKey[i] - last[i];
      } else {
        beyond += last[i] - sentPerKey[i];
      }
    }
    StringBuilder problems = new StringBuilder();
    append(problems, missing + skipped, "missing");
    append(problems, duplicates, "duplicates");
    append(problems, beyond, "counted beyond the input");
    append(problems, wrong, "wrong");
    if (problems.length() > 0) {
      return new OutputChecker.Verdict(
          false, "FAILED: " + problems + " of " + expected + " (first: " + firstProblem + ")");
    }
    return new OutputChecker.Verdict(true, "ok: " + seen + " outputs exactly once, in order");
  }

  private static void append(StringBuilder sb, long n, String what) {
    if (n > 0) {
      sb.append(sb.length() > 0 ? ", " : "").append(what).append('=').append(n);
    }
  }
}
