package dev.weir.internal.metrics;

import dev.weir.metrics.Counter;
import dev.weir.metrics.Gauge;
import dev.weir.metrics.Histogram;
import dev.weir.metrics.Meter;
import dev.weir.metrics.MetricGroup;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedSum;

/** The user metric group of one operator in one task (and its sub-groups). */
final class UserMetricGroup implements MetricGroup {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  private final TaskMetricScope scope;
  private final String operator;
  private final String path;
  private final Map<String, Object> metrics = new HashMap<>();
  private final Map<String, UserMetricGroup> children = new HashMap<>();

  UserMetricGroup(TaskMetricScope scope, String operator, String path) {
    this.scope = scope;
    this.operator = operator;
    this.path = path;
  }

  private String check(String name, String what) {
    Objects.requireNonNull(name, what + " name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Operator '"
              + operator
              + "': "
              + what
              + " name '"
              + name
              + "' may only hold letters, digits, '_', '-' and '.'");
    }
    return name;
  }

  private <M> M existing(String name, Class<M> kind) {
    Object m = metrics.get(name);
    if (m == null) {
      return null;
    }
    if (!kind.isInstance(m)) {
      throw new IllegalArgumentException(
          "Operator '"
              + operator
              + "': metric '"
              + name
              + "' in group '"
              + path
              + "' is already a "
              + kindName(m)
              + ", not a "
              + kind.getSimpleName().toLowerCase(java.util.Locale.ROOT)
              + "; pick another name");
    }
    return kind.cast(m);
  }

  private static String kindName(Object m) {
    if (m instanceof Counter) {
      return "counter";
    }
    if (m instanceof Histogram) {
      return "histogram";
    }
    if (m instanceof Meter) {
      return "meter";
    }
    return "gauge";
  }

  private MetricName name(String name, String description) {
    return scope.userName(name, operator, path, description);
  }

  @Override
  public Counter counter(String name) {
    check(name, "counter");
    Counter c = existing(name, Counter.class);
    if (c != null) {
      return c;
    }
    UserCounter counter = new UserCounter();
    scope.add(name(name, "user counter"), counter::getCount);
    metrics.put(name, counter);
    return counter;
  }

  @Override
  public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
    check(name, "gauge");
    Objects.requireNonNull(gauge, "gauge");
    if (metrics.containsKey(name)) {
      throw new IllegalArgumentException(
          "Operator '"
              + operator
              + "': metric '"
              + name
              + "' in group '"
              + path
              + "' is already registered; register a gauge once, in open()");
    }
    scope.register(
        name(name, "user gauge"),
        (org.apache.kafka.common.metrics.Gauge<Object>) (config, now) -> gauge.getValue());
    metrics.put(name, gauge);
    return gauge;
  }

  @Override
  public Histogram histogram(String name) {
    check(name, "histogram");
    Histogram h = existing(name, Histogram.class);
    if (h != null) {
      return h;
    }
    SlidingHistogram histogram = new SlidingHistogram();
    scope.add(name(name + "-count", "user histogram: values recorded"), histogram::getCount);
    scope.add(name(name + "-min", "user histogram: least recent value"), histogram::min);
    scope.add(name(name + "-max", "user histogram: greatest recent value"), histogram::max);
    scope.add(name(name + "-mean", "user histogram: mean of recent values"), histogram::mean);
    scope.add(
        name(name + "-p50", "user histogram: median of recent values"),
        () -> histogram.quantile(0.5));
    scope.add(
        name(name + "-p95", "user histogram: 95th percentile of recent values"),
        () -> histogram.quantile(0.95));
    scope.add(
        name(name + "-p99", "user histogram: 99th percentile of recent values"),
        () -> histogram.quantile(0.99));
    metrics.put(name, histogram);
    return histogram;
  }

  @Override
  public Meter meter(String name) {
    check(name, "meter");
    Meter m = existing(name, Meter.class);
    if (m != null) {
      return m;
    }
    Sensor sensor = scope.sensor("user." + operator + "." + path + "." + name);
    MetricName rate = name(name + "-rate", "user meter: events per second");
    MetricName total = name(name + "-total", "user meter: events marked");
    sensor.add(rate, new Rate(new WindowedSum()));
    sensor.add(total, new CumulativeSum());
    KafkaMetric rateMetric = scope.registry().metric(rate);
    UserMeter meter = new UserMeter(sensor, rateMetric);
    metrics.put(name, meter);
    return meter;
  }

  @Override
  public MetricGroup addGroup(String name) {
    check(name, "group");
    return children.computeIfAbsent(
        name, n -> new UserMetricGroup(scope, operator, path.isEmpty() ? n : path + "." + n));
  }

  private static final class UserCounter implements Counter {
    private final LongAdder count = new LongAdder();

    @Override
    public void inc() {
      count.increment();
    }

    @Override
    public void inc(long n) {
      count.add(n);
    }

    @Override
    public void dec() {
      count.decrement();
    }

    @Override
    public void dec(long n) {
      count.add(-n);
    }

    @Override
    public long getCount() {
      return count.sum();
    }
  }

  private static final class UserMeter implements Meter {
    private final Sensor sensor;
    private final KafkaMetric rate;
    private final LongAdder count = new LongAdder();

    UserMeter(Sensor sensor, KafkaMetric rate) {
      this.sensor = sensor;
      this.rate = rate;
    }

    @Override
    public void markEvent() {
      markEvent(1);
    }

    @Override
    public void markEvent(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("A meter counts events: n must not be negative: " + n);
      }
      count.add(n);
      sensor.record(n);
    }

    @Override
    public double getRate() {
      return ((Number) rate.metricValue()).doubleValue();
    }

    @Override
    public long getCount() {
      return count.sum();
    }
  }
}
