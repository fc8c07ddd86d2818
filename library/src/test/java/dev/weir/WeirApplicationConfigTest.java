package dev.weir;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Configuration mistakes fail the constructor: no thread, no client, no broker contact. */
class WeirApplicationConfigTest {
  private static Topology topology() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return b.build();
  }

  @Test
  void consumerOwnedSettingFailsTheConstructor() {
    Properties p = new Properties();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    p.put("consumer.group.id", "other");
    assertThatThrownBy(() -> new WeirApplication(topology(), p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'consumer.group.id' cannot be set")
        .hasMessageContaining("set application.id instead");
  }

  @Test
  void missingApplicationIdNamesTheKey() {
    Properties p = new Properties();
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    assertThatThrownBy(() -> new WeirApplication(topology(), p))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("application.id");
  }
}
