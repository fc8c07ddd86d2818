package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StreamingRunnerTest {
  private static final List<String> THREE = List.of("weir", "kafka-streams", "raw");

  @Test
  void roundOneKeepsTheConfiguredOrder() {
    assertThat(StreamingRunner.orderOfRound(THREE, 1))
        .containsExactly("weir", "kafka-streams", "raw");
  }

  @Test
  void eachRoundStartsOneContenderLater() {
    assertThat(StreamingRunner.orderOfRound(THREE, 2))
        .containsExactly("kafka-streams", "raw", "weir");
    assertThat(StreamingRunner.orderOfRound(THREE, 3))
        .containsExactly("raw", "weir", "kafka-streams");
    assertThat(StreamingRunner.orderOfRound(THREE, 4))
        .containsExactly("weir", "kafka-streams", "raw");
  }

  @Test
  void overAsManyRoundsAsContendersEachRunsFirstOnce() {
    List<String> two = List.of("weir", "raw");
    assertThat(StreamingRunner.orderOfRound(two, 1).get(0)).isEqualTo("weir");
    assertThat(StreamingRunner.orderOfRound(two, 2).get(0)).isEqualTo("raw");
    assertThat(StreamingRunner.orderOfRound(List.of("weir"), 5)).containsExactly("weir");
  }

  @Test
  void rejectsRoundZero() {
    assertThatThrownBy(() -> StreamingRunner.orderOfRound(THREE, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
