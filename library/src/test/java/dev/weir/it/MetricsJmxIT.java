package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running application's metrics over JMX and through metric.reporters, on a real broker. */
class MetricsJmxIT {
  private static EmbeddedKafkaCluster kafka;

  @TempDir Path tmp;

  /** A metric.reporters class: remembers the Weir metrics it was told about. */
  public static final class RecordingReporter implements MetricsReporter {
    static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void init(List<KafkaMetric> metrics) {
      metrics.forEach(this::metricChange);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
      SEEN.add(metric.metricName().group() + "/" + metric.metricName().name());
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {}

    @Override
    public void close() {}
  }

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafkaCluster.start(1);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aRunningApplicationsMetricsAreInJmxUntilItCloses() throws Exception {
    kafka.createTopic("jmx-in", 2);
    kafka.createTopic("jmx-out", 2);
    Pipelines.produce(kafka.bootstrapServers(), "jmx-in", 0, 1_000, 10);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "jmx", tmp.resolve("a"));
    props.put(
        CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, RecordingReporter.class.getName());
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    String clientId;
    try (WeirApplication app =
        new WeirApplication(Pipelines.runningCount("jmx-in", "jmx-out"), props)) {
      app.start();
      clientId = "jmx-" + app.instanceId();
      List<String> out =
          Pipelines.readCommitted(
              kafka.bootstrapServers(), "jmx-out", 1_000, Duration.ofSeconds(120));
      assertThat(Pipelines.countProblems(out, 1_000, 10)).isEmpty();
      assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.RUNNING)).isTrue();

      ObjectName instance = new ObjectName("dev.weir:type=instance-metrics,client-id=" + clientId);
      assertThat(jmx.getAttribute(instance, "state")).isEqualTo("RUNNING");
      // Two sub-topologies (source, and after the keyBy) of two partitions each.
      assertThat(jmx.getAttribute(instance, "tasks")).isEqualTo(4.0);
      assertThat(jmx.getAttribute(instance, "alive-stream-threads")).isEqualTo(1.0);

      ObjectName thread =
          new ObjectName(
              "dev.weir:type=thread-metrics,client-id="
                  + clientId
                  + ",thread-id=jmx-StreamThread-0");
      // Nothing more comes in: the counters stand still, and JMX reads the same ones.
      assertThat(jmx.getAttribute(thread, "records-out-total"))
          .isEqualTo(app.metricsSnapshot().get("records-out").doubleValue());
      assertThat(jmx.getAttribute(thread, "commit-total"))
          .isEqualTo(app.metricsSnapshot().get("commits").doubleValue());
      // One MBean per task of the thread, and per store of the counting tasks.
      assertThat(jmx.queryNames(new ObjectName("dev.weir:type=task-metrics,*"), null))
          .extracting(n -> n.getKeyProperty("task-id"))
          .containsExactlyInAnyOrder("0_0", "0_1", "1_0", "1_1");
      assertThat(jmx.queryNames(new ObjectName("dev.weir:type=state-metrics,*"), null))
          .extracting(n -> n.getKeyProperty("task-id") + "/" + n.getKeyProperty("store"))
          .containsExactlyInAnyOrder("1_0/counter", "1_1/counter");

      assertThat(RecordingReporter.SEEN)
          .contains(
              "instance-metrics/state",
              "thread-metrics/records-in-total",
              "thread-metrics/commit-latency-p99",
              "task-metrics/records-in-total");
    }
    // Closed: its MBeans are gone.
    assertThat(jmx.queryNames(new ObjectName("dev.weir:client-id=" + clientId + ",*"), null))
        .isEmpty();
  }
}
