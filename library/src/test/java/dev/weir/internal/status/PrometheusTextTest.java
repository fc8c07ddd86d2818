package dev.weir.internal.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  @Test
  void rendersFamiliesWithHelpTypeAndTagsAsLabels() {
    try (Metrics metrics = new Metrics()) {
      for (String task : new String[] {"0_1", "0_0"}) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("thread-id", "app-StreamThread-0");
        tags.put("task-id", task);
        Sensor s = metrics.sensor("records-in-" + task);
        s.add(
            metrics.metricName("records-in-total", "task-metrics", "Records a task read.", tags),
            new CumulativeSum());
        s.add(
            metrics.metricName(
                "record-size-max", "task-metrics", "Largest record, \\ \"x\"\nbytes.", tags),
            new Max());
        s.record(task.equals("0_0") ? 3 : 1.5);
      }
      metrics.addMetric(
          metrics.metricName(
              "watermark", "task-metrics", "Watermark.", Map.of("task-id", "0_0\"\\\n")),
          (Gauge<Long>) (config, now) -> 1_700_000_000_000L);
      metrics.addMetric(
          metrics.metricName("version", "info", "A string gauge, left out.", Map.of()),
          (Gauge<String>) (config, now) -> "1.0");

      Map<org.apache.kafka.common.MetricName, org.apache.kafka.common.metrics.KafkaMetric> ours =
          new LinkedHashMap<>();
      metrics
          .metrics()
          .forEach(
              (n, m) -> {
                if (!n.group().equals("kafka-metrics-count")) {
                  ours.put(n, m);
                }
              });

      assertThat(PrometheusText.render(ours))
          .isEqualTo(
              """
              # HELP weir_task_record_size_max Largest record, \\\\ "x"\\nbytes.
              # TYPE weir_task_record_size_max gauge
              weir_task_record_size_max{task_id="0_0",thread_id="app-StreamThread-0"} 3
              weir_task_record_size_max{task_id="0_1",thread_id="app-StreamThread-0"} 1.5
              # HELP weir_task_records_in_total Records a task read.
              # TYPE weir_task_records_in_total counter
              weir_task_records_in_total{task_id="0_0",thread_id="app-StreamThread-0"} 3
              weir_task_records_in_total{task_id="0_1",thread_id="app-StreamThread-0"} 1.5
              # HELP weir_task_watermark Watermark.
              # TYPE weir_task_watermark gauge
              weir_task_watermark{task_id="0_0\\"\\\\\\n"} 1700000000000
              """);
    }
  }

  @Test
  void sanitisesNamesAndKeepsNonFiniteValues() {
    assertThat(PrometheusText.sanitise("9lives.per-sec")).isEqualTo("_lives_per_sec");
    try (Metrics metrics = new Metrics()) {
      Sensor s = metrics.sensor("latency");
      s.add(
          metrics.metricName("commit-latency-max", "thread-metrics", "Max.", Map.of()), new Max());
      // Max of nothing is NaN in Kafka's stats; Prometheus has NaN.
      Map<org.apache.kafka.common.MetricName, org.apache.kafka.common.metrics.KafkaMetric> one =
          new LinkedHashMap<>();
      metrics
          .metrics()
          .forEach(
              (n, m) -> {
                if (n.group().equals("thread-metrics")) {
                  one.put(n, m);
                }
              });
      assertThat(PrometheusText.render(one))
          .isEqualTo(
              """
              # HELP weir_thread_commit_latency_max Max.
              # TYPE weir_thread_commit_latency_max gauge
              weir_thread_commit_latency_max NaN
              """);
    }
  }
}
