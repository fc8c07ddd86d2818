package dev.weir.examples.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class LateUpdatesTest {
  @Test
  void aWindowEmitsAFirstResultThenAnUpdateForEachLateReadingThenSendsTooLateOnesAside() {
    // [docs:allowed-lateness-test]
    try (WeirTestDriver driver =
        new WeirTestDriver(LateUpdates.topology("readings", "averages", "too-late"))) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, String> averages =
          driver.createOutputTopic("averages", new StringDeserializer(), new StringDeserializer());
      TestOutputTopic<String, Reading> tooLate =
          driver.createOutputTopic(
              "too-late", new StringDeserializer(), Reading.SERDE.deserializer());

      readings.pipeInput(new Reading("s1", 1_000, 20.0), 1_000);
      readings.pipeInput(new Reading("s1", 3_000, 21.0), 3_000);
      readings.pipeInput(new Reading("s2", 8_000, 5.0), 8_000); // watermark 5_999 closes [0,5000)
      assertThat(averages.readValuesToList())
          .containsExactly("s1 [0,5000) average 20.50 of 2 readings, first result");

      readings.pipeInput(new Reading("s1", 4_000, 25.0), 4_000); // late, but within 10 s
      assertThat(averages.readValuesToList())
          .containsExactly("s1 [0,5000) average 22.00 of 3 readings, update 1");

      readings.pipeInput(new Reading("s2", 17_001, 5.0), 17_001); // watermark 15_000
      readings.pipeInput(new Reading("s1", 2_000, 30.0), 2_000); // later than 4_999 + 10 s
      assertThat(tooLate.readValuesToList()).containsExactly(new Reading("s1", 2_000, 30.0));
    }
    // [/docs:allowed-lateness-test]
  }
}
