package dev.weir.examples.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The room lookup against a room service the test answers by hand. */
class RoomLookupTest {
  /** Lookups wait until the test completes them, in any order. */
  static final class HandService implements RoomLookup.RoomService {
    static final HandService INSTANCE = new HandService();
    final List<String> asked = new ArrayList<>();
    final List<CompletableFuture<String>> pending = new ArrayList<>();

    @Override
    public CompletionStage<String> roomOf(String sensor) {
      CompletableFuture<String> f = new CompletableFuture<>();
      asked.add(sensor);
      pending.add(f);
      return f;
    }
  }

  @Test
  void readingsGetTheirRoomInInputOrderRetriesAndFallBackOnTimeout() {
    HandService rooms = HandService.INSTANCE;
    try (WeirTestDriver driver =
        new WeirTestDriver(RoomLookup.topology("readings", "out", () -> HandService.INSTANCE))) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      TestOutputTopic<String, String> out =
          driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());

      readings.pipeInput(new Reading("sensor-01", 1_000, 21.5), 1_000);
      readings.pipeInput(new Reading("sensor-02", 1_000, 19.0), 1_000);
      readings.pipeInput(new Reading("sensor-03", 1_000, 18.5), 1_000);
      assertThat(rooms.asked).containsExactly("sensor-01", "sensor-02", "sensor-03");

      rooms.pending.get(1).complete("hall");
      assertThat(out.readValuesToList()).isEmpty(); // sensor-01 comes first
      rooms.pending.get(0).completeExceptionally(new RoomLookup.TransientError("busy"));
      driver.advanceProcessingTime(Duration.ofMillis(50)); // the first backoff
      assertThat(rooms.asked).containsExactly("sensor-01", "sensor-02", "sensor-03", "sensor-01");
      rooms.pending.get(3).complete("kitchen");
      assertThat(out.readValuesToList())
          .containsExactly("sensor-01,kitchen,21.5", "sensor-02,hall,19.0");

      driver.advanceProcessingTime(Duration.ofMillis(950)); // sensor-03's lookup never answers
      assertThat(out.readValuesToList()).containsExactly("sensor-03,UNKNOWN ROOM,18.5");
      assertThat(driver.metricsSnapshot()).containsEntry("async-retries", 1L);
      assertThat(driver.metricsSnapshot()).containsEntry("async-timeouts", 1L);
    }
  }
}
