package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirConfig;
import dev.weir.internal.config.TestSettings;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A start() that fails reaches ERROR through the checked transitions the state listener sees. */
class ApplicationRuntimeStartTest {
  @TempDir Path dir;

  @Test
  void failedStartGoesThroughPendingErrorToErrorAndTellsTheListener() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(WeirConfig.STATE_DIR_CONFIG, dir.toString());
    props.put(WeirConfig.STATE_BACKEND_CONFIG, WeirConfig.STATE_BACKEND_IN_MEMORY);
    KafkaException noBroker = new KafkaException("no broker");
    KafkaClients clients =
        new KafkaClients() {
          @Override
          public Producer<byte[], byte[]> producer(Map<String, Object> config) {
            throw new AssertionError("no thread may start");
          }

          @Override
          public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
            throw new AssertionError("no thread may start");
          }

          @Override
          public Admin admin(Map<String, Object> config) {
            throw noBroker;
          }
        };
    List<String> seen = new ArrayList<>();
    ApplicationRuntime runtime =
        new ApplicationRuntime(
            TestSettings.of(props),
            TopologyAccess.plan(b.build(), "app"),
            clients,
            (next, prev) -> seen.add(prev + " -> " + next),
            e -> FailureResponse.SHUTDOWN_INSTANCE,
            new ManualClock(0));

    assertThatThrownBy(runtime::start).isSameAs(noBroker);

    assertThat(runtime.state()).isEqualTo(RuntimeState.ERROR);
    assertThat(seen).containsExactly("CREATED -> PENDING_ERROR", "PENDING_ERROR -> ERROR");
  }
}
