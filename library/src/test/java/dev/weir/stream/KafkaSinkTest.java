package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.internal.driver.DriverCore;
import dev.weir.internal.task.TestMarkers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * A {@link KafkaSink} is an immutable value: each {@code with*} call returns a copy that keeps
 * every other setting, whatever the order of the calls. Checked through what the sink writes.
 */
class KafkaSinkTest {

  /** One written record as text: key, value, timestamp and headers, or the decoded marker. */
  private static String describe(DriverCore.Output o) {
    String marker = TestMarkers.describe(o.key(), o.headers(), o.value());
    if (marker != null) {
      return marker;
    }
    List<String> headers = new ArrayList<>();
    if (o.headers() != null) {
      for (Header h : o.headers()) {
        headers.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8));
      }
    }
    return Driver.string(o.key()) + "/" + Driver.string(o.value()) + "@" + o.timestamp() + headers;
  }

  private static List<String> run(KafkaSink<String> sink) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forMonotonousTimestamps(),
            "in")
        .sinkTo(sink);
    try (Driver d = new Driver(b)) {
      d.pipe("in", "a", 100);
      d.pipe("in", "b", 200);
      return d.records("out").stream().map(KafkaSinkTest::describe).toList();
    }
  }

  @Test
  void watermarkMarkersSurviveTheWithCallsThatFollow() {
    KafkaSink<String> sink =
        KafkaSink.topic("out", Serdes.String())
            .withWatermarkMarkers()
            .withKey(v -> v.toUpperCase(), Serdes.String())
            .withHeaders((v, h) -> h.add("src", v.getBytes(StandardCharsets.UTF_8)))
            .withPartitioner((v, key, partitions) -> 0);

    assertThat(run(sink))
        .containsExactly(
            "A/a@100[src=a]", "marker(task=0, wm=99)", "B/b@200[src=b]", "marker(task=0, wm=199)");
  }

  @Test
  void watermarkMarkersSurviveTheWithCallsThatCameBefore() {
    KafkaSink<String> sink =
        KafkaSink.topic("out", Serdes.String())
            .withKey(v -> v.toUpperCase(), Serdes.String())
            .withWatermarkMarkers();

    assertThat(run(sink))
        .containsExactly(
            "A/a@100[]", "marker(task=0, wm=99)", "B/b@200[]", "marker(task=0, wm=199)");
  }

  @Test
  void withWatermarkMarkersLeavesTheSinkItIsCalledOnUnchanged() {
    KafkaSink<String> plain = KafkaSink.topic("out", Serdes.String());
    KafkaSink<String> withMarkers = plain.withWatermarkMarkers();

    assertThat(withMarkers).isNotSameAs(plain);
    assertThat(run(plain)).containsExactly("null/a@100[]", "null/b@200[]");
  }
}
