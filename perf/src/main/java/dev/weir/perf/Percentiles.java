package dev.weir.perf;

/** The one percentile definition the latency tools and the W8 report share. */
public final class Percentiles {
  private Percentiles() {}

  /**
   * The nearest-rank percentile: the smallest value that at least {@code p}% of the samples do not
   * exceed, that is the value of 1-based rank {@code ceil(p * n / 100)}.
   *
   * @param sorted the samples in ascending order; not empty
   * @param p the percentile, 1 to 100
   * @return the percentile
   * @throws IllegalArgumentException when {@code sorted} is empty or {@code p} is out of range
   */
  public static long nearestRank(long[] sorted, int p) {
    return nearestRank(sorted, sorted.length, p);
  }

  /**
   * {@link #nearestRank(long[], int)} over the first {@code n} values of {@code sorted}.
   *
   * @param sorted samples, the first {@code n} in ascending order
   * @param n how many of them count; at least 1
   * @param p the percentile, 1 to 100
   * @return the percentile
   */
  public static long nearestRank(long[] sorted, int n, int p) {
    if (n < 1 || n > sorted.length) {
      throw new IllegalArgumentException("no samples to take a percentile of (n=" + n + ")");
    }
    if (p < 1 || p > 100) {
      throw new IllegalArgumentException("percentile " + p + " is not in 1..100");
    }
    long rank = ((long) p * n + 99) / 100;
    return sorted[(int) rank - 1];
  }
}
