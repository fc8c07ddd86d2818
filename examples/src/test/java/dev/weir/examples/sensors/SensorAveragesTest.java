package dev.weir.examples.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SensorAveragesTest {
  @Test
  void averagesEachSensorPerFiveSecondWindowOnceTheWatermarkPassesItsEnd() {
    // [docs:window-average-test]
    try (WeirTestDriver driver =
        new WeirTestDriver(SensorAverages.topology("readings", "averages"))) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, WindowAverage> averages =
          driver.createOutputTopic(
              "averages", new StringDeserializer(), WindowAverage.SERDE.deserializer());

      readings.pipeInput("s1", new Reading("s1", 1_000, 20.0), 1_000);
      readings.pipeInput("s1", new Reading("s1", 4_000, 22.0), 4_000);
      readings.pipeInput("s2", new Reading("s2", 3_000, 10.0), 3_000);
      readings.pipeInput("s1", new Reading("s1", 2_500, 21.0), 2_500); // out of order, not late
      assertThat(averages.isEmpty()).isTrue(); // watermark 4_000 - 2_000 - 1: window still open

      readings.pipeInput("s3", new Reading("s3", 7_001, 15.0), 7_001); // watermark 5_000

      assertThat(averages.readValuesToList())
          .containsExactlyInAnyOrder(
              new WindowAverage("s1", 0, 5_000, 3, 21.0),
              new WindowAverage("s2", 0, 5_000, 1, 10.0));
    }
    // [/docs:window-average-test]
  }

  @Test
  void resultsCarryTheWindowsLastMillisecondAsTimestampAndTheSensorAsKey() {
    try (WeirTestDriver driver =
        new WeirTestDriver(SensorAverages.topology("readings", "averages"))) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, WindowAverage> averages =
          driver.createOutputTopic(
              "averages", new StringDeserializer(), WindowAverage.SERDE.deserializer());
      readings.pipeInput(null, new Reading("s1", 5_100, 20.3), 0); // event time from the value
      readings.pipeInput(null, new Reading("s1", 5_200, 20.4), 0);
      readings.pipeInput(null, new Reading("s1", 20_000, 0.0), 0);
      TestOutputTopic.TestRecord<String, WindowAverage> r = averages.readRecord();
      assertThat(r.key()).isEqualTo("s1");
      assertThat(r.timestamp()).isEqualTo(9_999L);
      assertThat(r.value()).isEqualTo(new WindowAverage("s1", 5_000, 10_000, 2, 20.35));
    }
  }
}
