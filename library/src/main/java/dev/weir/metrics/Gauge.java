package dev.weir.metrics;

/**
 * A value computed when the metric is read, by a reporter on any thread: the implementation must be
 * safe to call from a thread other than the task's. A {@link Number} is reported as a number,
 * anything else through {@code toString()}.
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface Gauge<T> {
  /**
   * Returns the current value.
   *
   * @return the value; may be null when there is none yet
   */
  T getValue();
}
