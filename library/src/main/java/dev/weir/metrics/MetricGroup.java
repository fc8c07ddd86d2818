package dev.weir.metrics;

/**
 * Registers user metrics, scoped to one operator in one task: each metric is tagged with {@code
 * client-id}, {@code thread-id}, {@code task-id}, {@code operator} and {@code scope} (the names
 * passed to {@link #addGroup}, joined with dots; empty at the top) in group {@code user-metrics},
 * so JMX shows it as {@code dev.weir:type=user-metrics,client-id=...,operator=...,scope=...}.
 *
 * <p>Register in {@code open()} and keep the returned object: registering a name again in the same
 * group returns the metric already registered (of the same kind). The metrics are removed when the
 * task closes (on revocation, shutdown, or a rollback that rebuilds it; {@code open()} then
 * registers them again). Used from the task's thread; the returned metrics are thread-safe.
 */
public interface MetricGroup {
  /**
   * Registers a counter.
   *
   * @param name the metric's name: letters, digits, {@code _ - .}; not null
   * @return the counter, starting at 0
   * @throws IllegalArgumentException when the name is invalid or names another kind of metric
   */
  Counter counter(String name);

  /**
   * Registers a gauge.
   *
   * @param name the metric's name: letters, digits, {@code _ - .}; not null
   * @param gauge computes the value when read, from any thread; not null
   * @param <T> the value's type
   * @param <G> the gauge's type
   * @return {@code gauge}
   * @throws IllegalArgumentException when the name is invalid or already registered
   */
  <T, G extends Gauge<T>> G gauge(String name, G gauge);

  /**
   * Registers a histogram over the last 1,024 values (see {@link Histogram}).
   *
   * @param name the metric's name: letters, digits, {@code _ - .}; not null
   * @return the histogram
   * @throws IllegalArgumentException when the name is invalid or names another kind of metric
   */
  Histogram histogram(String name);

  /**
   * Registers a meter (see {@link Meter}).
   *
   * @param name the metric's name: letters, digits, {@code _ - .}; not null
   * @return the meter
   * @throws IllegalArgumentException when the name is invalid or names another kind of metric
   */
  Meter meter(String name);

  /**
   * Returns a sub-group: its metrics carry {@code scope} = this group's scope plus {@code name}.
   *
   * @param name the sub-group's name: letters, digits, {@code _ - .}; not null
   * @return the sub-group
   * @throws IllegalArgumentException when the name is invalid
   */
  MetricGroup addGroup(String name);
}
