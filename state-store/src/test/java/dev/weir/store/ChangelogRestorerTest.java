package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What of {@link ChangelogRestorer} can be checked without a broker: settings and argument
 * validation, which happen before the consumer is touched. The consumer is a real, unconnected
 * client (nothing listens on its bootstrap address and it is never polled); reading changelogs is
 * covered by the broker integration tests of the runtime.
 */
class ChangelogRestorerTest {
  private StateBackend backend;
  private TaskStateStore state;
  private KafkaConsumer<byte[], byte[]> consumer;

  @BeforeEach
  void open() {
    backend = StateBackends.inMemory();
    state = backend.open("0_0", List.of("a", "b"));
    consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  @AfterEach
  void close() {
    consumer.close();
    state.close();
    backend.close();
  }

  @Test
  void settingsAreValidated() {
    ChangelogRestorer restorer = ChangelogRestorer.create();
    assertThatThrownBy(() -> restorer.withBatchSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> restorer.withPollTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> restorer.withListener(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void nothingToRestoreLeavesTheConsumerUntouched() {
    RestoreResult result = ChangelogRestorer.create().restore(consumer, state, Map.of());
    assertThat(result.restoredRecords()).isEmpty();
    assertThat(result.totalRestored()).isZero();
    assertThat(consumer.assignment()).isEmpty();
  }

  @Test
  void unknownStoresAreRejectedBeforeAssigning() {
    Map<String, TopicPartition> changelogs =
        Map.of("zz", new TopicPartition("app-zz-changelog", 0));
    assertThatThrownBy(() -> ChangelogRestorer.create().restore(consumer, state, changelogs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'zz'");
    assertThat(consumer.assignment()).isEmpty();
  }

  @Test
  void aPartitionSharedByTwoStoresIsRejected() {
    Map<String, TopicPartition> changelogs = new LinkedHashMap<>();
    changelogs.put("a", new TopicPartition("app-changelog", 0));
    changelogs.put("b", new TopicPartition("app-changelog", 0));
    assertThatThrownBy(() -> ChangelogRestorer.create().restore(consumer, state, changelogs))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("share changelog app-changelog-0");
  }

  @Test
  void resultSumsStores() {
    RestoreResult result = new RestoreResult(Map.of("a", 3L, "b", 4L), Duration.ofMillis(5));
    assertThat(result.totalRestored()).isEqualTo(7);
    assertThat(result.elapsed()).isEqualTo(Duration.ofMillis(5));
    assertThat(result.restoredRecords()).containsOnlyKeys("a", "b");
  }
}
