package dev.weir.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.examples.sensors.Reading;
import dev.weir.examples.sensors.WindowAverage;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SensorPipelineTest {
  private static final DemoTopics TOPICS = DemoTopics.forRun("test");

  private WeirTestDriver driver;
  private TestInputTopic<String, Reading> readings;
  private TestOutputTopic<String, WindowAverage> averages;
  private TestOutputTopic<String, RiseAlert> alerts;
  private TestOutputTopic<String, Reading> late;

  @BeforeEach
  void start() {
    driver = new WeirTestDriver(SensorPipeline.topology(TOPICS));
    readings =
        driver.createInputTopic(
            TOPICS.readings(), new StringSerializer(), Reading.SERDE.serializer());
    averages =
        driver.createOutputTopic(
            TOPICS.averages(), new StringDeserializer(), WindowAverage.SERDE.deserializer());
    alerts =
        driver.createOutputTopic(
            TOPICS.alerts(), new StringDeserializer(), RiseAlert.SERDE.deserializer());
    late =
        driver.createOutputTopic(
            TOPICS.late(), new StringDeserializer(), Reading.SERDE.deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void pipe(String sensor, long time, double celsius) {
    readings.pipeInput(sensor, new Reading(sensor, time, celsius), time);
  }

  @Test
  void averagesPerSensorAndWindowAndSendsLateReadingsAside() {
    pipe("s1", 1_000, 20.0);
    pipe("s1", 4_500, 21.0);
    pipe("s1", 3_000, 22.0); // out of order by 1.5 s: still counts
    pipe("s2", 7_500, 10.0); // watermark 5_499 closes [0,5000)
    pipe("s1", 4_000, 30.0); // late: [0,5000) has fired
    assertThat(averages.readValuesToList())
        .containsExactly(new WindowAverage("s1", 0, 5_000, 3, 21.0));
    assertThat(late.readValuesToList()).containsExactly(new Reading("s1", 4_000, 30.0));
  }

  @Test
  void alertsWhenReadingsRiseForOneSecondOfEventTimeEvenIfTheyArriveOutOfOrder() {
    pipe("s1", 1_000, 20.0);
    pipe("s1", 1_600, 20.2);
    pipe("s1", 1_300, 20.1); // arrives after 1_600 but is taken in event-time order
    pipe("s1", 2_000, 20.3); // 1_000 .. 2_000: risen for 1 s
    pipe("s1", 2_500, 20.4);
    pipe("s2", 10_000, 5.0); // watermark 7_999: every reading of s1 is taken
    assertThat(alerts.readValuesToList())
        .containsExactly(new RiseAlert("s1", 1_000, 2_000, 20.0, 20.3));
  }

  @Test
  void aReadingThatIsNotHigherEndsTheRise() {
    pipe("s1", 1_000, 20.0);
    pipe("s1", 1_500, 20.5);
    pipe("s1", 1_800, 20.5); // not higher
    pipe("s1", 2_600, 21.0); // a new rise from 1_800: only 0.8 s
    pipe("s2", 10_000, 5.0);
    assertThat(alerts.isEmpty()).isTrue();
  }

  @Test
  void aRiseThatGoesOnAlertsAgainAfterAnotherSecond() {
    for (int i = 0; i <= 25; i++) {
      pipe("s1", 1_000 + i * 100L, 20.0 + i / 10.0);
    }
    pipe("s2", 10_000, 5.0);
    assertThat(alerts.readValuesToList())
        .extracting(RiseAlert::from, RiseAlert::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1_000L, 2_000L),
            org.assertj.core.groups.Tuple.tuple(2_000L, 3_000L));
  }
}
