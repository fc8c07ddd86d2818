package dev.weir.internal.metrics;

import dev.weir.metrics.Histogram;
import java.util.Arrays;

/**
 * A histogram over the last {@link #SIZE} values: a ring buffer, sorted on read. Writers and
 * readers synchronise on it; a write is a store and two increments.
 */
final class SlidingHistogram implements Histogram {
  static final int SIZE = 1024;

  private final long[] values = new long[SIZE];
  private long count;

  @Override
  public synchronized void update(long value) {
    values[(int) (count % SIZE)] = value;
    count++;
  }

  @Override
  public synchronized long getCount() {
    return count;
  }

  private synchronized long[] recent() {
    return Arrays.copyOf(values, (int) Math.min(count, SIZE));
  }

  double min() {
    long[] v = recent();
    return v.length == 0 ? Double.NaN : Arrays.stream(v).min().getAsLong();
  }

  double max() {
    long[] v = recent();
    return v.length == 0 ? Double.NaN : Arrays.stream(v).max().getAsLong();
  }

  double mean() {
    return Arrays.stream(recent()).average().orElse(Double.NaN);
  }

  /**
   * The nearest-rank quantile of the recent values.
   *
   * @param q between 0 and 1
   * @return the value, or NaN when there is none
   */
  double quantile(double q) {
    long[] v = recent();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    int rank = (int) Math.ceil(q * v.length);
    return v[Math.max(0, rank - 1)];
  }
}
