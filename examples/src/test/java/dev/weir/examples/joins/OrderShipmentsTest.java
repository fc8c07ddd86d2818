package dev.weir.examples.joins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.time.Duration;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class OrderShipmentsTest {
  private static final long T0 = 1_700_000_000_000L;

  private static long at(Duration d) {
    return T0 + d.toMillis();
  }

  @Test
  void ordersJoinEveryShipmentWithinADayAndLateShipmentsGoToTheSideOutput() {
    try (WeirTestDriver driver =
        new WeirTestDriver(
            OrderShipments.topology("orders", "shipments", "shipped", "late-shipments"))) {
      TestInputTopic<String, String> orders =
          driver.createInputTopic("orders", new StringSerializer(), new StringSerializer());
      TestInputTopic<String, String> shipments =
          driver.createInputTopic("shipments", new StringSerializer(), new StringSerializer());
      TestOutputTopic<String, String> shipped =
          driver.createOutputTopic("shipped", new StringDeserializer(), new StringDeserializer());
      TestOutputTopic<String, String> late =
          driver.createOutputTopic(
              "late-shipments", new StringDeserializer(), new StringDeserializer());

      orders.pipeInput("o1,30", at(Duration.ZERO));
      orders.pipeInput("o2,12", at(Duration.ofHours(1)));
      shipments.pipeInput("o1,ups", at(Duration.ofHours(2)));
      shipments.pipeInput("o1,dhl", at(Duration.ofHours(3))); // a second parcel of o1
      shipments.pipeInput("o3,ups", at(Duration.ofHours(3))); // no such order: nothing
      orders.pipeInput("o4,5", at(Duration.ofHours(4)));
      shipments.pipeInput("o4,fedex", at(Duration.ofHours(3))); // before the order: not within
      // 26 h: both watermarks pass o2's day (its shipment below is more than a day late).
      orders.pipeInput("o5,1", at(Duration.ofHours(26)));
      shipments.pipeInput("o5,ups", at(Duration.ofHours(26)));
      shipments.pipeInput("o2,ups", at(Duration.ofHours(2))); // behind the watermark: late

      assertThat(shipped.readValuesToList())
          .containsExactly(
              "o1 shipped by ups after 120 min (amount 30)",
              "o1 shipped by dhl after 180 min (amount 30)",
              "o5 shipped by ups after 0 min (amount 1)");
      assertThat(late.readValuesToList()).containsExactly("o2,ups");
    }
  }
}
