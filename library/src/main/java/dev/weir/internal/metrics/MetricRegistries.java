package dev.weir.internal.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

/**
 * Builds the Kafka {@link Metrics} registry of an application instance or a test driver. One
 * registry per instance: the instance's own metrics (see {@link MetricCatalogue}) and its users'
 * live there; the Kafka clients keep their own registries (and report to JMX under {@code
 * kafka.consumer}/{@code kafka.producer} as usual).
 */
public final class MetricRegistries {
  private MetricRegistries() {}

  /**
   * Builds an instance's registry, reporting to JMX under {@link MetricCatalogue#JMX_PREFIX} and to
   * the reporters named in {@code metric.reporters} (each configured with the application's
   * settings, as Kafka's clients configure theirs).
   *
   * @param originals the application's settings as given; not null
   * @param clientId the instance's client id ({@code <application.id>-<instance id>}); not null
   * @param time the clock windows and rates read; not null
   * @return a new registry; the caller closes it
   * @throws ConfigException when a class in {@code metric.reporters} cannot be loaded or built
   */
  public static Metrics forApplication(Map<String, Object> originals, String clientId, Time time) {
    List<MetricsReporter> reporters = new ArrayList<>(userReporters(originals));
    JmxReporter jmx = new JmxReporter();
    jmx.configure(originals);
    reporters.add(jmx);
    return new Metrics(
        config(),
        reporters,
        time,
        new KafkaMetricsContext(
            MetricCatalogue.JMX_PREFIX, Map.of(MetricCatalogue.CLIENT_ID, clientId)));
  }

  /**
   * Builds a registry without reporters, for the test driver: nothing goes to JMX, so any number of
   * drivers can run in one JVM.
   *
   * @param time the driver's clock; not null
   * @return a new registry; the caller closes it
   */
  public static Metrics forDriver(Time time) {
    return new Metrics(config(), List.of(), time);
  }

  private static MetricConfig config() {
    // Kafka's defaults: two 30-second samples, so rates and windowed latencies cover the last
    // 30 to 60 seconds.
    return new MetricConfig();
  }

  private static List<MetricsReporter> userReporters(Map<String, Object> originals) {
    Object value = originals.get(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG);
    if (value == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (value instanceof List<?> l) {
      l.forEach(o -> names.add(o instanceof Class<?> c ? c.getName() : o.toString().trim()));
    } else if (value instanceof Class<?> c) {
      names.add(c.getName());
    } else {
      for (String s : value.toString().split(",")) {
        if (!s.isBlank()) {
          names.add(s.trim());
        }
      }
    }
    List<MetricsReporter> out = new ArrayList<>();
    for (String name : names) {
      MetricsReporter r;
      try {
        r = Utils.newInstance(name, MetricsReporter.class);
      } catch (ClassNotFoundException | RuntimeException e) {
        throw new ConfigException(
            CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG,
            name,
            "cannot build this MetricsReporter ("
                + e
                + "); put the class on the classpath with a public no-argument constructor");
      }
      r.configure(originals);
      out.add(r);
    }
    return out;
  }
}
