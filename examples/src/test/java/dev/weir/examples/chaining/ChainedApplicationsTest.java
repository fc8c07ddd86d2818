package dev.weir.examples.chaining;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testing.TestInputTopic;
import dev.weir.testing.TestOutputTopic;
import dev.weir.testing.WeirTestDriver;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ChainedApplicationsTest {
  @Test
  void theDownstreamApplicationRunsOnTheUpstreamWatermarks() {
    try (WeirTestDriver up =
            new WeirTestDriver(ChainedApplications.upstream("readings", "cleaned"));
        WeirTestDriver down =
            new WeirTestDriver(ChainedApplications.downstream("cleaned", 1, "alerts"))) {
      TestInputTopic<String, String> readings =
          up.createInputTopic("readings", new StringSerializer(), new StringSerializer());
      TestOutputTopic<byte[], byte[]> cleanedOut =
          up.createOutputTopic("cleaned", new ByteArrayDeserializer(), new ByteArrayDeserializer());
      TestInputTopic<byte[], byte[]> cleanedIn =
          down.createInputTopic("cleaned", new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<String, String> alerts =
          down.createOutputTopic("alerts", new StringDeserializer(), new StringDeserializer());

      readings.pipeInput(" s1:20.5 ", 1_000L);
      readings.pipeInput(" s2:19.0 ", 30_000L);
      readings.pipeInput(" s2:19.5 ", 90_000L); // upstream watermark 89,999: s1's minute is over
      // Records and markers (null key, header weir.wm) go through the topic as they are.
      cleanedOut
          .readRecordsToList()
          .forEach(r -> cleanedIn.pipeInput(r.key(), r.value(), r.timestamp(), r.headers()));

      // The downstream application generates no watermark of its own: s1's alert fired on the
      // upstream application's event time.
      assertThat(alerts.readValuesToList()).containsExactly("s1 silent since 1000");
    }
  }
}
