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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start() that fails reaches ERROR through the checked transitions the state listener sees; the
 * stream threads start while the topic set-up runs and join the group only after it (design record
 * 031); failures stop the instance once.
 */
class ApplicationRuntimeStartTest {
  @TempDir Path dir;

  private Map<Object, Object> props() {
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(WeirConfig.STATE_DIR_CONFIG, dir.toString());
    props.put(WeirConfig.STATE_BACKEND_CONFIG, WeirConfig.STATE_BACKEND_IN_MEMORY);
    return props;
  }

  private static StreamBuilder pipeline() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return b;
  }

  /** A runtime of {@link #pipeline()} whose state changes are added to {@code seen}. */
  private ApplicationRuntime runtime(
      KafkaClients clients, List<String> seen, FailureResponse policy) {
    return new ApplicationRuntime(
        TestSettings.of(props()),
        TopologyAccess.plan(pipeline().build(), "app"),
        clients,
        (next, prev) -> seen.add(prev + " -> " + next),
        e -> policy,
        new ManualClock(0));
  }

  /**
   * The set-up is held back until the stream thread has created its group consumer, which happens
   * only when the thread starts before the set-up ends; the set-up then fails. start() throws the
   * set-up's own exception, and the thread never subscribed (so never joined the group, got no task
   * and read nothing) and sent nothing.
   */
  @Test
  void threadCreatesItsConsumerWhileTheSetUpRunsAndJoinsNothingWhenTheSetUpFails() {
    KafkaException noBroker = new KafkaException("no broker");
    CountDownLatch consumerCreated = new CountDownLatch(1);
    List<MockConsumer<byte[], byte[]>> consumers = new CopyOnWriteArrayList<>();
    List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
    KafkaClients clients =
        new KafkaClients() {
          @Override
          public Producer<byte[], byte[]> producer(Map<String, Object> config) {
            MockProducer<byte[], byte[]> p =
                new MockProducer<>(
                    true, null, new ByteArraySerializer(), new ByteArraySerializer());
            producers.add(p);
            return p;
          }

          @Override
          public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
            MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest");
            consumers.add(c);
            consumerCreated.countDown();
            return c;
          }

          @Override
          public Admin admin(Map<String, Object> config) {
            try {
              if (!consumerCreated.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no stream thread created its consumer during the set-up");
              }
            } catch (InterruptedException e) {
              throw new AssertionError(e);
            }
            throw noBroker;
          }
        };
    List<String> seen = new ArrayList<>();
    ApplicationRuntime runtime = runtime(clients, seen, FailureResponse.REPLACE_THREAD);

    assertThatThrownBy(runtime::start).isSameAs(noBroker);

    assertThat(runtime.state()).isEqualTo(RuntimeState.ERROR);
    assertThat(seen).containsExactly("CREATED -> PENDING_ERROR", "PENDING_ERROR -> ERROR");
    assertThat(consumers).hasSize(1);
    assertThat(consumers.get(0).subscription()).isEmpty();
    assertThat(consumers.get(0).closed()).isTrue();
    assertThat(producers).isNotEmpty();
    producers.forEach(p -> assertThat(p.history()).isEmpty());
  }

  @Test
  void failedStartGoesThroughPendingErrorToErrorAndTellsTheListener() {
    KafkaException noBroker = new KafkaException("no broker");
    KafkaClients clients =
        new KafkaClients() {
          @Override
          public Producer<byte[], byte[]> producer(Map<String, Object> config) {
            throw new AssertionError("no producer is needed");
          }

          @Override
          public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
            // A thread may start before the set-up failed; it fails here and is not reported.
            throw new AssertionError("no consumer is needed");
          }

          @Override
          public Admin admin(Map<String, Object> config) {
            throw noBroker;
          }
        };
    List<String> seen = new ArrayList<>();
    ApplicationRuntime runtime = runtime(clients, seen, FailureResponse.SHUTDOWN_INSTANCE);

    assertThatThrownBy(runtime::start).isSameAs(noBroker);

    assertThat(runtime.state()).isEqualTo(RuntimeState.ERROR);
    assertThat(seen).containsExactly("CREATED -> PENDING_ERROR", "PENDING_ERROR -> ERROR");
  }

  /**
   * Several threads failing at once stop the instance once: only the first enters PENDING_ERROR.
   */
  @Test
  void onlyTheFirstFailureStartsTheErrorShutdown() {
    ProducerOnlyClients clients =
        config -> {
          throw new AssertionError("not started");
        };
    List<String> seen = new CopyOnWriteArrayList<>();
    ApplicationRuntime runtime = runtime(clients, seen, FailureResponse.SHUTDOWN_INSTANCE);

    assertThat(runtime.enterPendingError()).isTrue();
    assertThat(runtime.enterPendingError()).isFalse();

    assertThat(runtime.state()).isEqualTo(RuntimeState.PENDING_ERROR);
    assertThat(seen).containsExactly("CREATED -> PENDING_ERROR");
  }
}
