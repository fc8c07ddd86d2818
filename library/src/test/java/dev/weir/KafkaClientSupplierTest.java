package dev.weir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.testkit.faults.Fault;
import dev.weir.testkit.faults.FaultInjector;
import dev.weir.testkit.faults.Operation;
import dev.weir.testkit.faults.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@link KafkaClientSupplier#decorating} with hand-made base clients (Kafka's own fakes). */
class KafkaClientSupplierTest {
  private final List<String> created = new ArrayList<>();

  private final KafkaClientSupplier base =
      new KafkaClientSupplier() {
        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> config) {
          created.add("producer " + config);
          return new MockProducer<>(
              true, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
          created.add("consumer " + config);
          return new MockConsumer<>("earliest");
        }

        @Override
        public Admin admin(Map<String, Object> config) {
          throw new UnsupportedOperationException("no admin in this test");
        }
      };

  @Test
  void wrapsEachClientOfTheBaseWithTheTestkitFaults() {
    FaultInjector faults =
        FaultInjector.builder()
            .on(Operation.BEGIN_TRANSACTION, Trigger.onCall(1), Fault.fenced())
            .on(Operation.POLL, Trigger.onCall(1), Fault.freezing(Duration.ZERO))
            .build();
    KafkaClientSupplier clients =
        KafkaClientSupplier.decorating(base, faults::producer, faults::consumer, faults::admin);

    Producer<byte[], byte[]> producer = clients.producer(Map.of("client.id", "p"));
    Consumer<byte[], byte[]> consumer = clients.consumer(Map.of("client.id", "c"));
    producer.initTransactions();

    assertThatThrownBy(producer::beginTransaction).isInstanceOf(ProducerFencedException.class);
    assertThat(consumer.poll(Duration.ZERO).isEmpty()).isTrue();
    assertThat(created).containsExactly("producer {client.id=p}", "consumer {client.id=c}");
    assertThat(faults.injected())
        .extracting(i -> i.fault() + " " + i.operation())
        .containsExactly("fenced producer.beginTransaction", "freeze for 0 ms consumer.poll");
  }

  @Test
  void aWrapperThatReturnsNullIsNamed() {
    KafkaClientSupplier clients =
        KafkaClientSupplier.decorating(
            base, p -> null, UnaryOperator.identity(), UnaryOperator.identity());

    assertThatThrownBy(() -> clients.producer(Map.of()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("the producer wrapper returned null");
  }

  /** Raw restore fetches bypass a supplier's clients, so only plain clients get them by default. */
  @Test
  void rawRestoreFetchesAreOnByDefaultOnlyWithThePlainClients() {
    String key = WeirConfig.STATE_RESTORE_RAW_FETCH_CONFIG;
    Map<String, Object> none = Map.of("application.id", "a", "bootstrap.servers", "localhost:9");
    KafkaClientSupplier decorated =
        KafkaClientSupplier.decorating(
            KafkaClientSupplier.defaults(),
            UnaryOperator.identity(),
            UnaryOperator.identity(),
            UnaryOperator.identity());

    assertThat(KafkaClientSupplier.defaults()).isSameAs(KafkaClientSupplier.defaults());
    assertThat(
            new WeirConfig(
                    WeirApplication.withSupplierDefaults(none, KafkaClientSupplier.defaults()))
                .getBoolean(key))
        .isTrue();
    assertThat(
            new WeirConfig(WeirApplication.withSupplierDefaults(none, decorated)).getBoolean(key))
        .isFalse();
    assertThat(new WeirConfig(WeirApplication.withSupplierDefaults(none, base)).getBoolean(key))
        .isFalse();
    Map<String, Object> on =
        Map.of("application.id", "a", "bootstrap.servers", "localhost:9", key, "true");
    assertThat(new WeirConfig(WeirApplication.withSupplierDefaults(on, decorated)).getBoolean(key))
        .isTrue();
    Map<String, Object> off =
        Map.of("application.id", "a", "bootstrap.servers", "localhost:9", key, "false");
    assertThat(
            new WeirConfig(
                    WeirApplication.withSupplierDefaults(off, KafkaClientSupplier.defaults()))
                .getBoolean(key))
        .isFalse();
  }
}
