package dev.weir.examples.joins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.time.Duration;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class OrderPaymentsTest {
  private static final long T0 = 1_700_000_040_000L; // a minute boundary

  private static long at(Duration d) {
    return T0 + d.toMillis();
  }

  @Test
  void paymentsInTheOrdersMinuteJoinAndSessionsWithoutPaymentAreUnpaid() {
    try (WeirTestDriver driver =
        new WeirTestDriver(OrderPayments.topology("orders", "payments", "paid", "unpaid"))) {
      TestInputTopic<String, String> orders =
          driver.createInputTopic("orders", new StringSerializer(), new StringSerializer());
      TestInputTopic<String, String> payments =
          driver.createInputTopic("payments", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> paid =
          driver.createOutputTopic("paid", new StringDeserializer(), new StringDeserializer());
      TestOutputTopic<String, String> unpaid =
          driver.createOutputTopic("unpaid", new StringDeserializer(), new StringDeserializer());

      orders.pipeInput("o1,30", at(Duration.ofSeconds(10)));
      payments.pipeInput("o1,card", at(Duration.ofSeconds(40))); // same minute: joins
      orders.pipeInput("o2,12", at(Duration.ofSeconds(50)));
      payments.pipeInput("o2,cash", at(Duration.ofSeconds(70))); // next minute: no window join
      orders.pipeInput("o3,7", at(Duration.ofSeconds(20))); // never paid
      // Both watermarks pass every window and session above.
      orders.pipeInput("o9,1", at(Duration.ofHours(2)));
      payments.pipeInput("o8,card", at(Duration.ofHours(2)));

      assertThat(paid.readValuesToList()).containsExactly("o1 30 paid by card");
      assertThat(unpaid.readValuesToList()).containsExactly("o3 unpaid");
    }
  }
}
