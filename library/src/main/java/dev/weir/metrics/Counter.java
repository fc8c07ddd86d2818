package dev.weir.metrics;

/**
 * A count that goes up and down, reported as its current value. Thread-safe.
 *
 * <p>Reported under the name it was registered with, as a gauge (it can go down).
 */
public interface Counter {
  /** Adds one. */
  void inc();

  /**
   * Adds {@code n}.
   *
   * @param n how much; may be negative
   */
  void inc(long n);

  /** Subtracts one. */
  void dec();

  /**
   * Subtracts {@code n}.
   *
   * @param n how much; may be negative
   */
  void dec(long n);

  /**
   * Returns the current count.
   *
   * @return the count
   */
  long getCount();
}
