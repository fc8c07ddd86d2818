package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builder options, a graceful stop and restart that keeps data, and the report of a failed start.
 */
class EmbeddedKafkaClusterIT {

  @TempDir Path logs;

  @Test
  void aStoppedBrokerRestartsWithItsDataPortsAndOverrides() throws Exception {
    try (EmbeddedKafkaCluster kafka =
        EmbeddedKafkaCluster.builder()
            .brokers(1)
            .brokerProperty("message.max.bytes", "2000000")
            .logDirectory(logs)
            .start()) {
      assertThat(kafka.brokerLogFile(0)).startsWith(logs).exists();
      assertThat(brokerConfig(kafka, "message.max.bytes")).isEqualTo("2000000");
      kafka.createTopic("kept", 1, Map.of("cleanup.policy", "compact"));
      assertThatThrownBy(() -> kafka.createTopic("kept", 1))
          .isInstanceOf(TopicExistsException.class);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              kafka.clientProperties(), new StringSerializer(), new StringSerializer())) {
        for (String value : List.of("x", "y", "z")) {
          producer.send(new ProducerRecord<>("kept", value, value)).get();
        }
      }
      String bootstrap = kafka.bootstrapServers();

      kafka.stopBroker(0);
      assertThat(kafka.isBrokerRunning(0)).isFalse();
      assertThat(Files.readString(kafka.brokerLogFile(0))).contains("shut down completed");
      kafka.restartBroker(0);

      assertThat(kafka.isBrokerRunning(0)).isTrue();
      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(TopicReader.readAll(kafka, "kept", IsolationLevel.READ_COMMITTED))
          .containsExactlyInAnyOrder("x", "y", "z");
    }
  }

  @Test
  void aBrokerThatCannotStartIsReportedWithTheEndOfItsLog() {
    EmbeddedKafkaCluster.Builder builder =
        EmbeddedKafkaCluster.builder()
            .brokerProperty("num.io.threads", "not-a-number")
            .logDirectory(logs)
            .startTimeout(Duration.ofSeconds(60));

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start")
        .hasMessageContaining("broker 0 exited with status")
        .hasMessageContaining("last 40 lines of " + logs)
        .hasMessageContaining("not-a-number");
  }

  @Test
  void brokerCountIsOneToThree() {
    assertThatThrownBy(() -> EmbeddedKafkaCluster.builder().brokers(4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedKafkaCluster.start(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String brokerConfig(KafkaCluster kafka, String key) throws Exception {
    ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "0");
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
      return config.get(key).value();
    }
  }
}
