package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.internal.config.TestSettings;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several threads failing at once stop the instance once. */
class ApplicationRuntimeFailureTest {
  @TempDir Path dir;

  @Test
  void onlyTheFirstFailureStartsTheErrorShutdown() {
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(WeirConfig.STATE_DIR_CONFIG, dir.toString());
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    KafkaClients clients =
        new KafkaClients() {
          @Override
          public Producer<byte[], byte[]> producer(Map<String, Object> config) {
            throw new AssertionError("not started");
          }

          @Override
          public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
            throw new AssertionError("not started");
          }

          @Override
          public Admin admin(Map<String, Object> config) {
            throw new AssertionError("not started");
          }
        };
    List<String> seen = new CopyOnWriteArrayList<>();
    ApplicationRuntime runtime =
        new ApplicationRuntime(
            TestSettings.of(props),
            TopologyAccess.plan(b.build(), "app"),
            clients,
            (next, prev) -> seen.add(prev + " -> " + next),
            e -> FailureResponse.SHUTDOWN_INSTANCE,
            new ManualClock(0));

    assertThat(runtime.enterPendingError()).isTrue();
    assertThat(runtime.enterPendingError()).isFalse();

    assertThat(runtime.state()).isEqualTo(RuntimeState.PENDING_ERROR);
    assertThat(seen).containsExactly("CREATED -> PENDING_ERROR");
  }
}
