package dev.weir.metrics;

/**
 * The distribution of recent values: Weir keeps the last 1,024 values and reports {@code
 * <name>-count} (all values ever), {@code -min}, {@code -max}, {@code -mean}, {@code -p50}, {@code
 * -p95} and {@code -p99} over them. Thread-safe.
 */
public interface Histogram {
  /**
   * Records one value.
   *
   * @param value the value, in the unit the metric's name says
   */
  void update(long value);

  /**
   * Returns how many values were recorded since the histogram was registered.
   *
   * @return the count
   */
  long getCount();
}
