package dev.weir.perf;

import java.util.Arrays;

/**
 * W8's arithmetic, pure functions of recorded times (milliseconds since the epoch, all taken on the
 * harness's clock): the longest processing gap and the p99 end-to-end latency of an event window.
 * See {@code docs/performance.md}, W8, for the definitions these implement.
 */
final class W8Gaps {
  private W8Gaps() {}

  /**
   * The longest processing gap of a window: for each output partition, the longest interval within
   * {@code [start, end]} in which the read_committed reader received nothing from it, where the
   * window's start and end count as arrivals (a partition that received nothing has a gap of the
   * whole window); the longest over all partitions.
   *
   * @param arrivals per output partition, the reader's arrival times in ascending order (may hold
   *     times outside the window); not null
   * @param start the window's start
   * @param end the window's end, not before {@code start}
   * @return the longest gap in ms, 0 for no partitions
   * @throws IllegalArgumentException when {@code end < start} or a partition's times descend
   */
  static long longestGap(long[][] arrivals, long start, long end) {
    return longest(arrivals, start, end).ms();
  }

  /**
   * Where a window's longest gap lies: its output partition and its ends (an arrival, or the
   * window's start or end).
   *
   * @param partition the output partition, -1 when there are none
   * @param from the gap's start
   * @param to the gap's end
   */
  record Gap(int partition, long from, long to) {
    long ms() {
      return to - from;
    }
  }

  /**
   * The longest gap of {@link #longestGap} with its partition and ends; the first one found when
   * several are as long.
   *
   * @param arrivals as for {@link #longestGap}
   * @param start the window's start
   * @param end the window's end, not before {@code start}
   * @return the gap; {@code (-1, start, start)} for no partitions
   * @throws IllegalArgumentException as {@link #longestGap}
   */
  static Gap longest(long[][] arrivals, long start, long end) {
    if (end < start) {
      throw new IllegalArgumentException("Window ends (" + end + ") before it starts " + start);
    }
    Gap longest = new Gap(-1, start, start);
    for (int p = 0; p < arrivals.length; p++) {
      long previous = start;
      long last = Long.MIN_VALUE;
      for (long t : arrivals[p]) {
        if (t < last) {
          throw new IllegalArgumentException(
              "Arrival times of partition " + p + " descend: " + t + " after " + last);
        }
        last = t;
        if (t < start) {
          continue;
        }
        if (t > end) {
          break;
        }
        if (t - previous > longest.ms()) {
          longest = new Gap(p, previous, t);
        }
        previous = t;
      }
      if (end - previous > longest.ms()) {
        longest = new Gap(p, previous, end);
      }
    }
    return longest;
  }

  /**
   * The 99th percentile (nearest rank: the smallest latency at least 99% of the samples do not
   * exceed) of the end-to-end latencies, {@code arrival - inputTimestamp}, of the records whose
   * input timestamp (their send time) lies in {@code [start, end]}.
   *
   * @param inputTimestamps each output record's input timestamp; not null
   * @param arrivalTimes each output record's arrival at the reader, same length and order
   * @param start the window's start
   * @param end the window's end
   * @return the p99 in ms, or -1 when no record was sent in the window
   * @throws IllegalArgumentException when the arrays differ in length
   */
  static long p99(long[] inputTimestamps, long[] arrivalTimes, long start, long end) {
    if (inputTimestamps.length != arrivalTimes.length) {
      throw new IllegalArgumentException(
          inputTimestamps.length + " timestamps but " + arrivalTimes.length + " arrival times");
    }
    long[] lat = new long[inputTimestamps.length];
    int n = 0;
    for (int i = 0; i < inputTimestamps.length; i++) {
      if (inputTimestamps[i] >= start && inputTimestamps[i] <= end) {
        lat[n++] = arrivalTimes[i] - inputTimestamps[i];
      }
    }
    if (n == 0) {
      return -1;
    }
    Arrays.sort(lat, 0, n);
    return Percentiles.nearestRank(lat, n, 99);
  }

  /**
   * The median of a contender's per-round values (the upper one of an even count, as the other
   * workloads' tables do), or -1 when there are none.
   *
   * @param values per-round values; not null
   * @return the median
   */
  static long median(long[] values) {
    if (values.length == 0) {
      return -1;
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
