package dev.weir.internal.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.internal.config.Settings;
import dev.weir.internal.config.TestSettings;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.runtime.ApplicationRuntime;
import dev.weir.internal.runtime.FailureResponse;
import dev.weir.internal.runtime.TestClients;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The driver reports the application's counters, with their names and meaning. */
class DriverCoreMetricsTest {
  private static Topology windowedSum() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ZERO),
            "in")
        .keyBy(v -> "k", Serdes.String())
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
        .reduce((x, y) -> x + y)
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return b.build();
  }

  private static void pipe(DriverCore d, String value, long timestamp) {
    d.pipe("in", null, value.getBytes(StandardCharsets.UTF_8), timestamp, null);
  }

  @Test
  void countsLateRecordsAndEveryRepartitionHop() {
    try (DriverCore d = new DriverCore(windowedSum(), driverSettings(), 0)) {
      pipe(d, "x", 100);
      pipe(d, "y", 200); // closes the window [100, 110)
      pipe(d, "z", 105); // too late for it

      Map<String, Long> m = d.counters();

      assertThat(d.plan().repartitionTopics()).hasSize(1);
      assertThat(m.get("late-records-dropped")).isEqualTo(1);
      // As in production: three inputs, each read once from "in" and once from the repartition
      // topic, plus the two watermark markers (after x and y; z moved no watermark) read there.
      assertThat(m.get("records-in")).isEqualTo(3 + 3 + 2);
      assertThat(m.get("records-out")).isEqualTo(1);
      // One commit per input, in the runtime's commit order; processing time stood still.
      assertThat(m.get("commits")).isEqualTo(3);
      assertThat(m.get("commit-time-ns-total")).isZero();
    }
  }

  @Test
  void reportsTheNamesOfTheApplication() {
    Topology topology = windowedSum();
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "test-driver");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    ApplicationRuntime app =
        new ApplicationRuntime(
            TestSettings.of(props),
            TopologyAccess.plan(topology, "test-driver"),
            TestClients.of(dev.weir.KafkaClientSupplier.defaults()),
            (next, prev) -> {},
            e -> FailureResponse.SHUTDOWN_INSTANCE);

    try (DriverCore d = new DriverCore(topology, driverSettings(), 0)) {
      assertThat(d.counters().keySet()).containsExactlyElementsOf(app.metricsSnapshot().keySet());
    }
  }

  private static Settings driverSettings() {
    return TestSettings.of(
        Map.of(
            WeirConfig.APPLICATION_ID_CONFIG, "test-driver",
            WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "test-driver:9092"));
  }
}
