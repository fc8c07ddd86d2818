package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.windowing.TumblingEventTimeWindows;
import dev.weir.windowing.TumblingProcessingTimeWindows;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** A built topology cannot be changed through the streams it was built from. */
class TopologyTest {

  @Test
  void aStreamOfABuiltTopologyCannotRenameOrRetypeItsOperator() {
    StreamBuilder b = new StreamBuilder();
    SingleOutputStreamOperator<String> upper =
        b.fromSource(KafkaSource.topic("in", Serdes.String()), "in").map(String::toUpperCase);
    upper.name("upper").sinkTo(KafkaSink.topic("out", Serdes.String()));
    Topology topology = b.build();
    String before = topology.describe();

    assertThatThrownBy(() -> upper.name("lower"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "'upper' belongs to a topology that was already built: call name(...) before"
                + " StreamBuilder.build()");
    assertThatThrownBy(() -> upper.uid("lower"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call uid(...) before StreamBuilder.build()");
    assertThatThrownBy(() -> upper.returns(Serdes.String()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call returns(...) before StreamBuilder.build()");
    assertThat(topology.describe()).isEqualTo(before);
  }

  @Test
  void aMapFeedingASinkNeedsNoReturnsTheSinkNamesTheSerde() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .map(String::length)
        .sinkTo(KafkaSink.topic("lengths", Serdes.Integer()));
    try (Driver d = new Driver(b)) {
      d.core.pipe("in", null, Driver.bytes("four"), 0L, null);
      assertThat(d.records("lengths"))
          .extracting(o -> Serdes.Integer().deserializer().deserialize("lengths", o.value()))
          .containsExactly(4);
    }
  }

  @Test
  void aMapFeedingAKeyByWithoutASerdeFailsTheBuildNamingTheOperatorAndTheFix() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .map(String::length)
        .name("lengths")
        .keyBy(n -> n % 2, Serdes.Integer())
        .filter(n -> n > 0)
        .sinkTo(KafkaSink.topic("out", Serdes.Integer()));
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Operator 'lengths' feeds a keyBy whose records go through the internal topic"
                + " '<application.id>-lengths-keyBy-repartition', and Weir does not know their serde. Call"
                + " .returns(serde) on 'lengths' or pass"
                + " Repartition.named(...).withValueSerde(serde). Only records that cross an"
                + " internal topic (keyBy, rebalance) need it; a sink uses the serde it names.");
  }

  @Test
  void anEventTimeWindowFedBySourceWithoutWatermarksFailsTheBuild() {
    StreamBuilder b = new StreamBuilder();
    DataStream<Long> timed =
        b.fromSource(
            KafkaSource.topic("timed", Serdes.Long()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(1)),
            "timed");
    DataStream<Long> plain = b.fromSource(KafkaSource.topic("plain", Serdes.Long()), "plain");
    timed
        .union(plain)
        .keyBy(v -> v % 10, Serdes.Long())
        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
        .sum()
        .name("ten-second-sums")
        .sinkTo(KafkaSink.topic("out", Serdes.Long()));

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Operator 'ten-second-sums' uses event-time windows (TumblingEventTimeWindows), but its"
                + " input from source 'plain' has no watermarks, so its windows would never fire."
                + " Read the source with event time: fromSource(source,"
                + " WatermarkStrategy.forBoundedOutOfOrderness(...), \"plain\"), or use"
                + " processing-time windows.");
  }

  @Test
  void processingTimeWindowsAndWatermarkedSourcesBuild() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("plain", Serdes.Long()), "plain")
        .keyBy(v -> v % 10, Serdes.Long())
        .window(TumblingProcessingTimeWindows.of(Duration.ofSeconds(10)))
        .sum()
        .sinkTo(KafkaSink.topic("out", Serdes.Long()));
    b.fromSource(
            KafkaSource.topic("timed", Serdes.Long()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(1)),
            "timed")
        .keyBy(v -> v % 10, Serdes.Long())
        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
        .sum()
        .sinkTo(KafkaSink.topic("out2", Serdes.Long()));

    assertThat(b.build().describe()).contains("plain", "timed");
  }
}
