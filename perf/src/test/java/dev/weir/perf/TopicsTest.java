package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The internal-topic backlog that decides whether a contender has consumed everything: W6's join
 * reads its two repartition topics after the source offsets are all committed, so those alone must
 * not end a run.
 */
class TopicsTest {
  private static final TopicPartition P0 = new TopicPartition("app-left-by-key-repartition", 0);
  private static final TopicPartition P1 = new TopicPartition("app-left-by-key-repartition", 1);

  @Test
  void partitionsWithoutACommittedOffsetCountInFull() {
    // The join task has not committed yet: everything its upstream wrote is still to be read.
    assertThat(Topics.backlog(Map.of(P0, 12_501L, P1, 12_501L), Map.of())).isEqualTo(25_000);
  }

  @Test
  void aCommittedOffsetOneBelowTheEndIsConsumed() {
    // Under exactly-once the last offset is the commit marker, which need not be committed past.
    assertThat(Topics.backlog(Map.of(P0, 101L, P1, 50L), Map.of(P0, 100L, P1, 50L))).isZero();
    assertThat(Topics.backlog(Map.of(P0, 101L, P1, 50L), Map.of(P0, 90L, P1, 50L))).isEqualTo(10);
  }

  @Test
  void emptyPartitionsHaveNoBacklog() {
    assertThat(Topics.backlog(Map.of(P0, 0L), Map.of())).isZero();
    assertThat(Topics.backlog(Map.of(), Map.of(P0, 5L))).isZero();
  }
}
