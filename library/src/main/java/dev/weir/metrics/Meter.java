package dev.weir.metrics;

/**
 * The rate of events: reported as {@code <name>-rate} (events per second over the registry's
 * window, 30 to 60 seconds by default) and {@code <name>-total} (events since it was registered).
 * Thread-safe.
 */
public interface Meter {
  /** Marks one event. */
  void markEvent();

  /**
   * Marks {@code n} events.
   *
   * @param n how many; not negative
   */
  void markEvent(long n);

  /**
   * Returns the current rate.
   *
   * @return events per second
   */
  double getRate();

  /**
   * Returns how many events were marked since the meter was registered.
   *
   * @return the count
   */
  long getCount();
}
