package dev.weir.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.errors.DeadLetterHeaders;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Bad-input tests through the public driver: raw bytes reach the source's deserializer. */
class TestInputTopicRawTest {
  @Test
  void rawBytesTheSourceCannotReadGoToTheDeadLetterTopicNextToTypedRecords() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("amounts", Serdes.Long()), "amounts")
        .map(v -> v * 2)
        .sinkTo(KafkaSink.topic("doubled", Serdes.Long()));
    Properties props = new Properties();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "raw");
    props.put(WeirConfig.DESERIALIZATION_HANDLER_CONFIG, "dead_letter");
    try (WeirTestDriver driver = new WeirTestDriver(b.build(), props)) {
      TestInputTopic<String, Long> in =
          driver.createInputTopic(
              "amounts", Serdes.String().serializer(), Serdes.Long().serializer());
      in.pipeInput("a", 21L, 1_000);
      in.pipeRawInput("b".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}, 2_000);
      in.pipeInput("c", 5L, 3_000);

      assertThat(
              driver
                  .createOutputTopic(
                      "doubled", Serdes.String().deserializer(), Serdes.Long().deserializer())
                  .readValuesToList())
          .containsExactly(42L, 10L);
      TestOutputTopic<byte[], byte[]> dlq =
          driver.createOutputTopic(
              "raw-dlq", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
      TestOutputTopic.TestRecord<byte[], byte[]> bad = dlq.readRecord();
      assertThat(new String(bad.key(), StandardCharsets.UTF_8)).isEqualTo("b");
      assertThat(bad.value()).containsExactly(1, 2, 3);
      assertThat(bad.timestamp()).isEqualTo(2_000L);
      assertThat(
              new String(
                  bad.headers().lastHeader(DeadLetterHeaders.STAGE).value(),
                  StandardCharsets.UTF_8))
          .isEqualTo("deserialization");
      assertThat(dlq.isEmpty()).isTrue();
    }
  }
}
