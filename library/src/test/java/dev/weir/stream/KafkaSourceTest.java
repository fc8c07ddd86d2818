package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.internal.graph.SourceSpec;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** A {@link KafkaSource} is an immutable value: each call returns a copy keeping the rest. */
class KafkaSourceTest {

  private static String describe(KafkaSource<?> source) {
    SourceSpec<?> s = source.spec();
    return s.topics() + " latest=" + s.startAtLatest() + " markers=" + s.markerTasks();
  }

  @Test
  void everySettingSurvivesTheCallsAfterIt() {
    KafkaSource<String> base = KafkaSource.topic("a", Serdes.String(), "b");

    KafkaSource<String> markersFirst =
        base.withWatermarkMarkers(3).startingFrom(StartPosition.LATEST);
    KafkaSource<String> positionFirst =
        base.startingFrom(StartPosition.LATEST).withWatermarkMarkers(3);

    assertThat(describe(markersFirst)).isEqualTo("[a, b] latest=true markers=3");
    assertThat(describe(positionFirst)).isEqualTo("[a, b] latest=true markers=3");
    assertThat(describe(base)).isEqualTo("[a, b] latest=false markers=0");
  }

  @Test
  void theSerdeAndTopicsAreKeptAndTheTopicListIsACopy() {
    List<String> topics = new java.util.ArrayList<>(List.of("a"));
    KafkaSource<String> source = KafkaSource.of(topics, r -> "x");
    topics.add("b");

    assertThat(source.spec().topics()).containsExactly("a");
    assertThat(source.spec().serde()).isNull();
    assertThat(KafkaSource.topic("a", Serdes.Long()).spec().serde()).isNotNull();
  }

  @Test
  void badArgumentsFailWithTheReason() {
    assertThatThrownBy(() -> KafkaSource.of(List.of(), r -> "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("A KafkaSource needs at least one topic");
    assertThatThrownBy(() -> KafkaSource.topic(" ", Serdes.String()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Topic names must not be blank: [ ]");
    assertThatThrownBy(() -> KafkaSource.topic("a", Serdes.String()).withWatermarkMarkers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("upstreamTasks must be at least 1: 0");
  }
}
