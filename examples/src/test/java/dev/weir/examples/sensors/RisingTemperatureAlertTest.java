package dev.weir.examples.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class RisingTemperatureAlertTest {
  private static WeirTestDriver driver() {
    return new WeirTestDriver(
        RisingTemperatureAlert.topology("readings", "alerts", Duration.ofSeconds(1)),
        new Properties(),
        0L);
  }

  private static void pipe(TestInputTopic<String, Reading> in, String sensor, double celsius) {
    in.pipeInput(sensor, new Reading(sensor, 0, celsius), 0);
  }

  @Test
  void alertsWhenTheTemperatureKeepsRisingForOneSecond() {
    // [docs:processing-time-test]
    try (WeirTestDriver driver = driver()) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, String> alerts =
          driver.createOutputTopic("alerts", new StringDeserializer(), new StringDeserializer());

      pipe(readings, "s1", 20.0);
      pipe(readings, "s1", 20.5); // rising: a timer for now + 1 s
      driver.advanceProcessingTime(Duration.ofMillis(600));
      pipe(readings, "s1", 21.0); // still rising; the timer stays
      assertThat(alerts.isEmpty()).isTrue();

      driver.advanceProcessingTime(Duration.ofMillis(400)); // the timer fires

      assertThat(alerts.readValuesToList())
          .containsExactly("Temperature of s1 has been rising for 1000 ms, now 21.0");
    }
    // [/docs:processing-time-test]
  }

  @Test
  void aReadingThatIsNotHigherCancelsTheAlert() {
    try (WeirTestDriver driver = driver()) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, String> alerts =
          driver.createOutputTopic("alerts", new StringDeserializer(), new StringDeserializer());
      pipe(readings, "s1", 20.0);
      pipe(readings, "s1", 21.0);
      driver.advanceProcessingTime(Duration.ofMillis(500));
      pipe(readings, "s1", 21.0); // not higher: cancelled
      driver.advanceProcessingTime(Duration.ofSeconds(5));
      assertThat(alerts.isEmpty()).isTrue();
    }
  }

  @Test
  void sensorsAreTrackedSeparately() {
    try (WeirTestDriver driver = driver()) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, String> alerts =
          driver.createOutputTopic("alerts", new StringDeserializer(), new StringDeserializer());
      pipe(readings, "s1", 20.0);
      pipe(readings, "s2", 30.0);
      pipe(readings, "s1", 20.1); // s1 rising
      pipe(readings, "s2", 29.0); // s2 falling
      driver.advanceProcessingTime(Duration.ofSeconds(1));
      assertThat(alerts.readValuesToList())
          .containsExactly("Temperature of s1 has been rising for 1000 ms, now 20.1");
    }
  }
}
