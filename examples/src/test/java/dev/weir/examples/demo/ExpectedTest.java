package dev.weir.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.examples.demo.Generator.Sent;
import dev.weir.examples.sensors.Reading;
import dev.weir.examples.sensors.WindowAverage;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The demo's verdict is only as good as its expected result: this test runs generated readings
 * through the real operators (the test driver, one partition) and checks that {@link Expected}
 * predicts their output exactly, late readings included.
 */
class ExpectedTest {
  private static final DemoTopics TOPICS = DemoTopics.forRun("test");

  private static Expected expected(List<Sent> sent, int partitions) {
    return Expected.compute(
        sent,
        partitions,
        SensorPipeline.WINDOW.toMillis(),
        SensorPipeline.OUT_OF_ORDERNESS.toMillis(),
        SensorPipeline.RISE.toMillis());
  }

  @Test
  void predictsExactlyWhatThePipelineOutputs() {
    Generator generator = new Generator(3, 8, 1, 1_767_225_600_000L);
    List<WindowAverage> windows = new ArrayList<>();
    List<RiseAlert> alerts = new ArrayList<>();
    List<Reading> late = new ArrayList<>();
    try (WeirTestDriver driver = new WeirTestDriver(SensorPipeline.topology(TOPICS))) {
      TestInputTopic<String, Reading> in =
          driver.createInputTopic(
              TOPICS.readings(), new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, WindowAverage> averagesOut =
          driver.createOutputTopic(
              TOPICS.averages(), new StringDeserializer(), WindowAverage.SERDE.deserializer());
      for (int tick = 1; tick <= 1_500; tick++) {
        pipe(in, generator.tick());
        windows.addAll(averagesOut.readValuesToList());
        if (tick % 100 == 0) { // a late reading in a window that has already fired
          WindowAverage fired = windows.get(windows.size() - 1);
          pipe(in, List.of(generator.late(fired.sensor(), fired.start(), 5_000)));
        }
      }
      pipe(in, generator.finish());
      windows.addAll(averagesOut.readValuesToList());
      alerts.addAll(
          driver
              .createOutputTopic(
                  TOPICS.alerts(), new StringDeserializer(), RiseAlert.SERDE.deserializer())
              .readValuesToList());
      late.addAll(
          driver
              .createOutputTopic(
                  TOPICS.late(), new StringDeserializer(), Reading.SERDE.deserializer())
              .readValuesToList());
    }
    Expected expected = expected(generator.history(), 1);

    assertThat(expected.windows()).hasSizeGreaterThan(100);
    assertThat(expected.alerts()).isNotEmpty();
    assertThat(expected.late()).hasSize(15);
    assertThat(Expected.compare(expected.windows(), windows, Expected::windowKey).ok()).isTrue();
    assertThat(Expected.compare(expected.alerts(), alerts, Expected::alertKey).ok()).isTrue();
    assertThat(Expected.compare(expected.late(), late, Expected::lateKey).ok()).isTrue();
  }

  private static void pipe(TestInputTopic<String, Reading> in, List<Sent> sent) {
    for (Sent s : sent) {
      in.pipeInput(s.reading().sensor(), s.reading(), s.reading().timestamp());
    }
  }

  @Test
  void theFinalWatermarkIsTheMinimumOverPartitions() {
    Reading a = new Reading("a", 10_000, 1.0);
    Reading b = new Reading("b", 20_000, 1.0);
    Expected e = expected(List.of(new Sent(0, a, false), new Sent(1, b, false)), 2);
    assertThat(e.finalWatermark()).isEqualTo(10_000 - 2_000 - 1);
    assertThat(expected(List.of(new Sent(0, a, false)), 2).finalWatermark())
        .isEqualTo(Long.MIN_VALUE); // a partition without data holds the watermark back
  }

  @Test
  void countsLostDuplicatedAndWrongRecords() {
    Map<String, String> expected = Map.of("1", "one", "2", "two", "3", "three");
    Expected.Tally t =
        Expected.compare(
            expected,
            List.of("one", "one", "two!", "four"),
            v -> Map.of("one", "1", "two!", "2", "four", "4").get(v));
    assertThat(t).isEqualTo(new Expected.Tally(3, 4, 1, 1, 2));
  }
}
