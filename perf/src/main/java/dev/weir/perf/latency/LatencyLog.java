package dev.weir.perf.latency;

import java.util.Arrays;

/**
 * Latencies in milliseconds, appended by one thread (the reader) into a primitive array, so that
 * recording one costs neither a box nor a lock. Any thread may read {@link #size()} meanwhile;
 * {@link #sorted()} once the writer has stopped.
 */
final class LatencyLog {
  private long[] values;
  private volatile int size;

  /**
   * @param expected how many values to make room for at first; the array grows beyond it
   */
  LatencyLog(long expected) {
    values = new long[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, expected))];
  }

  /** Appends one latency; writer thread only. */
  void add(long millis) {
    int n = size;
    if (n == values.length) {
      values = Arrays.copyOf(values, (int) Math.min(Integer.MAX_VALUE - 8, 2L * n));
    }
    values[n] = millis;
    size = n + 1;
  }

  /** How many latencies were appended so far; any thread. */
  int size() {
    return size;
  }

  /** A sorted copy of the latencies; after the writer has stopped (joined). */
  long[] sorted() {
    long[] copy = Arrays.copyOf(values, size);
    Arrays.sort(copy);
    return copy;
  }
}
