package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.WeirConfig;
import dev.weir.errors.DeadLetterHeaders;
import dev.weir.errors.RecordProcessingException;
import dev.weir.internal.driver.DriverCore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class ErrorHandlingTest {
  private static StreamBuilder parsing() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.Integer()), "numbers")
        .map(i -> 100 / i)
        .name("divide")
        .sinkTo(KafkaSink.topic("out", Serdes.Integer()));
    return b;
  }

  private static byte[] intBytes(int i) {
    return Serdes.Integer().serializer().serialize("in", i);
  }

  @Test
  void failIsTheDefaultAndNamesOperatorPositionAndFix() {
    try (Driver d = new Driver(parsing())) {
      d.core.pipe("in", null, intBytes(5), 1L, null);
      assertThatThrownBy(() -> d.core.pipe("in", null, intBytes(0), 2L, null))
          .isInstanceOf(RecordProcessingException.class)
          .hasMessageContaining("'divide'")
          .hasMessageContaining("in-0@1")
          .hasMessageContaining("errors.processing.handler=log_and_skip")
          .satisfies(
              e -> {
                RecordProcessingException r = (RecordProcessingException) e;
                assertThat(r.operator()).isEqualTo("divide");
                assertThat(r.position()).isEqualTo("in-0@1");
              });
    }
  }

  @Test
  void deserializationFailureNamesTheSource() {
    try (Driver d = new Driver(parsing())) {
      assertThatThrownBy(() -> d.core.pipe("in", null, new byte[] {1, 2}, 1L, null))
          .isInstanceOf(RecordProcessingException.class)
          .hasMessageContaining("deserialization of record in-0@0 failed in 'numbers'")
          .hasMessageContaining("errors.deserialization.handler");
    }
  }

  @Test
  void logAndSkipCountsAndContinues() {
    Map<String, String> props =
        Map.of(
            WeirConfig.PROCESSING_HANDLER_CONFIG, "log_and_skip",
            WeirConfig.DESERIALIZATION_HANDLER_CONFIG, "log_and_skip");
    try (Driver d = new Driver(parsing(), props)) {
      d.core.pipe("in", null, intBytes(0), 1L, null);
      d.core.pipe("in", null, new byte[] {9}, 1L, null);
      d.core.pipe("in", null, intBytes(4), 1L, null);
      assertThat(d.records("out")).hasSize(1);
      assertThat(d.core.metrics().skippedRecords.sum()).isEqualTo(2);
      assertThat(d.core.metrics().processingErrors.sum()).isEqualTo(1);
      assertThat(d.core.metrics().deserializationErrors.sum()).isEqualTo(1);
    }
  }

  @Test
  void deadLetterKeepsOriginalBytesAndSaysWhy() {
    Map<String, String> props =
        Map.of(
            WeirConfig.APPLICATION_ID_CONFIG, "app",
            WeirConfig.PROCESSING_HANDLER_CONFIG, "dead_letter",
            WeirConfig.DESERIALIZATION_HANDLER_CONFIG, "dead_letter");
    try (Driver d = new Driver(parsing(), props)) {
      d.core.pipe("in", "k".getBytes(StandardCharsets.UTF_8), intBytes(0), 7L, null);
      d.core.pipe("in", null, new byte[] {9}, 8L, null);
      d.core.pipe("in", null, intBytes(50), 9L, null);
      assertThat(d.records("out")).hasSize(1);
      List<DriverCore.Output> dlq = d.records("app-dlq");
      assertThat(dlq).hasSize(2);
      DriverCore.Output first = dlq.get(0);
      assertThat(Driver.string(first.key())).isEqualTo("k");
      assertThat(first.value()).isEqualTo(intBytes(0));
      assertThat(first.timestamp()).isEqualTo(7L);
      assertThat(header(first, DeadLetterHeaders.OPERATOR)).isEqualTo("divide");
      assertThat(header(first, DeadLetterHeaders.STAGE)).isEqualTo("processing");
      assertThat(header(first, DeadLetterHeaders.TOPIC)).isEqualTo("in");
      assertThat(header(first, DeadLetterHeaders.OFFSET)).isEqualTo("0");
      assertThat(header(first, DeadLetterHeaders.EXCEPTION_CLASS))
          .isEqualTo(ArithmeticException.class.getName());
      assertThat(header(dlq.get(1), DeadLetterHeaders.STAGE)).isEqualTo("deserialization");
      assertThat(header(dlq.get(1), DeadLetterHeaders.OPERATOR)).isEqualTo("numbers");
      assertThat(dlq.get(1).value()).containsExactly(9);
    }
  }

  private static String header(DriverCore.Output o, String name) {
    return new String(o.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
