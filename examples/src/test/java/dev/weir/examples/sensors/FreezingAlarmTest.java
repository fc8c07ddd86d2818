package dev.weir.examples.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class FreezingAlarmTest {
  @Test
  void everyReadingPassesAndFreezingOnesAlsoRaiseAnAlarmOnTheSideOutput() {
    try (WeirTestDriver driver =
        new WeirTestDriver(FreezingAlarm.topology("readings", "checked", "alarms"))) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, Reading> checked =
          driver.createOutputTopic(
              "checked", new StringDeserializer(), Reading.SERDE.deserializer());
      TestOutputTopic<String, String> alarms =
          driver.createOutputTopic("alarms", new StringDeserializer(), new StringDeserializer());

      readings.pipeInput(new Reading("s1", 1_000, 3.5), 1_000);
      readings.pipeInput(new Reading("s2", 1_000, -1.5), 1_000);
      readings.pipeInput(new Reading("s1", 2_000, 0.0), 2_000);

      assertThat(checked.readValuesToList())
          .extracting(Reading::celsius)
          .containsExactly(3.5, -1.5, 0.0);
      assertThat(alarms.readValuesToList()).containsExactly("Freezing alarm for s2: -1.5");
    }
  }
}
