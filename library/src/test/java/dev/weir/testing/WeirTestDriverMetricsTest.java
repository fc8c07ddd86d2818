package dev.weir.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.internal.config.TestSettings;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.runtime.ApplicationRuntime;
import dev.weir.internal.runtime.FailureResponse;
import dev.weir.internal.runtime.TestClients;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The driver's metrics have the application's names (late-records-dropped was missing). */
class WeirTestDriverMetricsTest {
  @Test
  void namesEqualTheApplicationsNames() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    Topology topology = b.build();
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    ApplicationRuntime app =
        new ApplicationRuntime(
            TestSettings.of(props),
            TopologyAccess.plan(topology, "app"),
            TestClients.of(dev.weir.KafkaClientSupplier.defaults()),
            (next, prev) -> {},
            e -> FailureResponse.SHUTDOWN_INSTANCE);

    try (WeirTestDriver driver = new WeirTestDriver(topology)) {
      assertThat(driver.metricsSnapshot().keySet())
          .containsExactlyElementsOf(app.metricsSnapshot().keySet());
    }
  }
}
