package dev.weir.internal.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Renders Kafka {@link Metric}s in the Prometheus text exposition format, version 0.0.4: one family
 * per metric name ({@code weir_<group>_<name>}, characters outside {@code [a-zA-Z0-9_]} replaced by
 * {@code _}), its tags as labels, a HELP and a TYPE line per family. A name ending in {@code
 * -total} or {@code -count} is a counter, everything else a gauge. Values that are not numbers (a
 * gauge of a string, say) are left out.
 */
final class PrometheusText {
  /** The {@code Content-Type} of the format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private PrometheusText() {}

  private record Sample(Map<String, String> labels, double value) {}

  private record Family(String help, String type, List<Sample> samples) {}

  /**
   * Renders {@code metrics}, families sorted by name, samples by labels.
   *
   * @param metrics the metrics; read once each
   * @return the exposition text
   */
  static String render(Map<MetricName, ? extends Metric> metrics) {
    Map<String, Family> families = new TreeMap<>();
    metrics.forEach(
        (name, metric) -> {
          if (name.group().equals("kafka-metrics-count")) {
            return; // the registry's count of its own metrics: noise on a dashboard
          }
          Object v = metric.metricValue();
          if (!(v instanceof Number n)) {
            return;
          }
          String family = familyName(name);
          Map<String, String> labels = new TreeMap<>();
          name.tags().forEach((k, val) -> labels.put(sanitise(k), val));
          families
              .computeIfAbsent(
                  family,
                  f ->
                      new Family(
                          name.description(),
                          f.endsWith("_total") || f.endsWith("_count") ? "counter" : "gauge",
                          new ArrayList<>()))
              .samples()
              .add(new Sample(labels, n.doubleValue()));
        });
    StringBuilder out = new StringBuilder();
    families.forEach(
        (name, f) -> {
          out.append("# HELP ").append(name).append(' ').append(escapeHelp(f.help())).append('\n');
          out.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
          f.samples().sort(java.util.Comparator.comparing(s -> s.labels().toString()));
          for (Sample s : f.samples()) {
            out.append(name);
            if (!s.labels().isEmpty()) {
              out.append('{');
              boolean first = true;
              for (Map.Entry<String, String> l : s.labels().entrySet()) {
                if (!first) {
                  out.append(',');
                }
                first = false;
                out.append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
              }
              out.append('}');
            }
            out.append(' ').append(number(s.value())).append('\n');
          }
        });
    return out.toString();
  }

  /**
   * {@code weir_}, the group without its {@code -metrics} suffix, and the name, sanitised: {@code
   * thread-metrics}/{@code commit-latency-avg} is {@code weir_thread_commit_latency_avg}.
   */
  static String familyName(MetricName name) {
    String group = name.group();
    if (group.endsWith("-metrics")) {
      group = group.substring(0, group.length() - "-metrics".length());
    }
    return sanitise("weir_" + (group.isEmpty() ? "" : group + "_") + name.name());
  }

  /** Replaces every character a Prometheus name may not hold by {@code _}. */
  static String sanitise(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (i > 0 && c >= '0' && c <= '9');
      b.append(ok ? c : '_');
    }
    return b.toString();
  }

  private static String number(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static String escapeHelp(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
