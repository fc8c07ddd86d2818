package dev.weir.metrics.micrometer;

import dev.weir.WeirApplication;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Exposes a Weir application's metrics (Weir's own and its user metrics) as Micrometer meters. Each
 * numeric metric becomes a meter named {@code weir.<group without -metrics>.<name>}, dashes turned
 * into dots ({@code records-in-total} of {@code thread-metrics} is {@code
 * weir.thread.records.in.total}), tagged with the metric's tags; metrics whose name ends in {@code
 * -total} become {@link FunctionCounter}s, the others {@link Gauge}s. String-valued metrics (the
 * instance's {@code state}) are left out.
 *
 * <p>Metrics appear and go as tasks are assigned and revoked: {@link #bindTo} binds what exists and
 * then checks every {@code refresh} (10 seconds by default) on a daemon thread, adding new meters
 * and removing those whose metric is gone. {@link #close()} stops the checks. Thread-safe.
 */
public final class WeirMetricsBinder implements MeterBinder, AutoCloseable {
  private final Supplier<Map<MetricName, ? extends Metric>> metrics;
  private final Duration refresh;
  private final Map<MetricName, Meter> bound = new HashMap<>();
  private MeterRegistry registry;
  private ScheduledExecutorService refresher;

  /**
   * Binds an application's metrics ({@link WeirApplication#metrics()}), checking for new ones every
   * 10 seconds.
   *
   * @param app the application; not null
   */
  public WeirMetricsBinder(WeirApplication app) {
    this(Objects.requireNonNull(app, "app")::metrics, Duration.ofSeconds(10));
  }

  /**
   * Binds the metrics {@code metrics} returns (for example a test driver's {@code metrics()}).
   *
   * @param metrics returns the current metrics, from any thread; not null
   * @param refresh how often to look for metrics added or removed; positive, or zero to check only
   *     when {@link #refresh()} is called
   */
  public WeirMetricsBinder(Supplier<Map<MetricName, ? extends Metric>> metrics, Duration refresh) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.refresh = Objects.requireNonNull(refresh, "refresh");
    if (refresh.isNegative()) {
      throw new IllegalArgumentException("refresh must not be negative: " + refresh);
    }
  }

  /**
   * Registers a meter for every numeric metric now, and starts the periodic check.
   *
   * @param registry where the meters go; not null
   * @throws IllegalStateException when already bound
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    if (this.registry != null) {
      throw new IllegalStateException("This binder is already bound to a registry");
    }
    this.registry = Objects.requireNonNull(registry, "registry");
    refresh();
    if (!refresh.isZero()) {
      refresher =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "weir-micrometer-binder");
                t.setDaemon(true);
                return t;
              });
      long ms = refresh.toMillis();
      refresher.scheduleWithFixedDelay(this::refresh, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  /** Adds meters for new metrics and removes those whose metric is gone. */
  public synchronized void refresh() {
    if (registry == null) {
      return;
    }
    Map<MetricName, ? extends Metric> current = metrics.get();
    List<MetricName> gone = new ArrayList<>();
    for (MetricName n : bound.keySet()) {
      if (current.get(n) == null) {
        gone.add(n);
      }
    }
    for (MetricName n : gone) {
      registry.remove(bound.remove(n));
    }
    current.forEach(
        (n, m) -> {
          if (!bound.containsKey(n) && m.metricValue() instanceof Number) {
            bound.put(n, register(n, m));
          }
        });
  }

  private Meter register(MetricName n, Metric m) {
    List<Tag> tags = new ArrayList<>();
    n.tags().forEach((k, v) -> tags.add(Tag.of(k, v)));
    String name = meterName(n);
    if (n.name().endsWith("-total")) {
      return FunctionCounter.builder(name, m, WeirMetricsBinder::value)
          .tags(tags)
          .description(n.description())
          .register(registry);
    }
    return Gauge.builder(name, m, WeirMetricsBinder::value)
        .tags(tags)
        .description(n.description())
        .strongReference(true)
        .register(registry);
  }

  /**
   * The Micrometer name of a metric.
   *
   * @param n the metric's name; not null
   * @return {@code weir.<group without -metrics>.<name>}, dashes as dots
   */
  public static String meterName(MetricName n) {
    String group =
        n.group().endsWith("-metrics") ? n.group().substring(0, n.group().length() - 8) : n.group();
    return ("weir." + group + "." + n.name()).replace('-', '.');
  }

  private static double value(Metric m) {
    return m.metricValue() instanceof Number v ? v.doubleValue() : Double.NaN;
  }

  /** Stops the periodic check; the meters stay registered. */
  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.shutdownNow();
      refresher = null;
    }
  }
}
