package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.windowing.EventTimeSessionWindows;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Windows and running counts give the same outputs with the write-back cache off ({@code
 * state.cache.max.bytes=0}), with a budget of a few entries (evicting all the time) and with the
 * default, committing after every few records.
 */
class StateCacheWindowsTest {

  private static List<String> run(long cacheBytes, boolean sessions) {
    StreamBuilder b = new StreamBuilder();
    KeyedStream<String, String> keyed =
        b.fromSource(
                KafkaSource.topic("in", Serdes.String()),
                WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofMillis(3)),
                "in")
            .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String());
    (sessions
            ? keyed.window(EventTimeSessionWindows.withGap(Duration.ofMillis(4)))
            : keyed.window(TumblingEventTimeWindows.of(Duration.ofMillis(10))))
        .aggregate(new WindowsTest.Count(), Serdes.Long(), new WindowsTest.Describe<>())
        .uid("w")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    List<String> out = new ArrayList<>();
    try (Driver d =
        new Driver(
            b, Map.of(WeirConfig.STATE_CACHE_MAX_BYTES_CONFIG, String.valueOf(cacheBytes)))) {
      for (int i = 0; i < 120; i++) {
        String key = "k" + (i * 7 % 5);
        long ts = i * 3L + (i % 4 == 0 ? -5 : 0); // some disorder, some records late
        d.pipe("in", key + ":" + i, Math.max(0, ts));
        if (i % 3 == 2) {
          d.core.commit();
        }
        out.addAll(d.values("out"));
      }
      d.core.commit();
      out.addAll(d.values("out"));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void outputsAreTheSameWithTheCacheOffTinyOrDefault(boolean sessions) {
    List<String> off = run(0, sessions);
    assertThat(off).isNotEmpty();
    assertThat(run(600, sessions)).isEqualTo(off);
    assertThat(run(32L << 20, sessions)).isEqualTo(off);
  }
}
