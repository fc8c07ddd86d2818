package dev.weir.examples.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.errors.DeadLetterHeaders;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.TestOutputTopic.TestRecord;
import dev.weir.testing.WeirTestDriver;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class OrdersEtlTest {
  private static String header(Headers headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void convertsGoodOrdersAndDeadLettersTheRestWithTheReason() {
    // [docs:dead-letter-test]
    try (WeirTestDriver driver =
        new WeirTestDriver(
            OrdersEtl.topology("orders", "orders-eur"), OrdersEtl.config("etl", "orders-dlq"))) {
      TestInputTopic<String, String> orders =
          driver.createInputTopic("orders", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> converted =
          driver.createOutputTopic(
              "orders-eur", new StringDeserializer(), new StringDeserializer());
      TestOutputTopic<String, String> deadLetters =
          driver.createOutputTopic(
              "orders-dlq", new StringDeserializer(), new StringDeserializer());

      orders.pipeInput("o-1,c-1,10.00,USD");
      orders.pipeInput("not an order"); // cannot be deserialized
      orders.pipeInput("o-2,c-2,5.00,XYZ"); // to-euros throws: unknown currency
      orders.pipeInput("o-3,c-3,0.00,EUR"); // filtered out
      orders.pipeInput("o-4,c-1,100.00,GBP");

      assertThat(converted.readValuesToList()).containsExactly("o-1,c-1,9.20", "o-4,c-1,117.00");
      List<TestRecord<String, String>> dead = deadLetters.readRecordsToList();
      assertThat(dead)
          .extracting(TestRecord::value)
          .containsExactly("not an order", "o-2,c-2,5.00,XYZ");
      assertThat(header(dead.get(0).headers(), DeadLetterHeaders.STAGE))
          .isEqualTo("deserialization");
      assertThat(header(dead.get(1).headers(), DeadLetterHeaders.STAGE)).isEqualTo("processing");
      assertThat(header(dead.get(1).headers(), DeadLetterHeaders.OPERATOR)).isEqualTo("to-euros");
      assertThat(header(dead.get(1).headers(), DeadLetterHeaders.EXCEPTION_MESSAGE))
          .isEqualTo("Unknown currency XYZ");
      assertThat(driver.metricsSnapshot()).containsEntry("records-dead-lettered", 2L);
      assertThat(droppedElements(driver)).isEqualTo(1.0); // o-3
    }
    // [/docs:dead-letter-test]
  }

  /** The filter's user metric, read from the driver's registry. */
  private static Object droppedElements(WeirTestDriver driver) {
    return driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("droppedElements"))
        .filter(e -> e.getKey().tags().get("operator").equals("non-zero"))
        .map(e -> e.getValue().metricValue())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void outputIsKeyedByCustomer() {
    try (WeirTestDriver driver =
        new WeirTestDriver(
            OrdersEtl.topology("orders", "orders-eur"), OrdersEtl.config("etl", "orders-dlq"))) {
      TestInputTopic<String, String> orders =
          driver.createInputTopic("orders", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> converted =
          driver.createOutputTopic(
              "orders-eur", new StringDeserializer(), new StringDeserializer());
      orders.pipeInput("o-9,c-7,1.00,EUR");
      assertThat(converted.readRecord().key()).isEqualTo("c-7");
    }
  }
}
