package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.internal.task.TaskMetrics;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * A running input paused for two reasons (a full async operator, fetch alignment) stays paused in
 * the consumer until both are gone, and a closed task's inputs are released whatever paused them.
 */
class InputPausesTest {
  private static final TopicPartition A = new TopicPartition("in", 0);
  private static final TopicPartition B = new TopicPartition("in", 1);

  private final TaskMetrics metrics = new TaskMetrics();
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final InputPauses pauses = new InputPauses(metrics);

  InputPausesTest() {
    consumer.assign(List.of(A, B));
    pauses.bind(consumer);
  }

  @Test
  void aPartitionResumesOnlyWhenNoReasonIsLeft() {
    pauses.pause(List.of(A), InputPauses.Reason.ASYNC_FULL);
    pauses.pause(List.of(A, B), InputPauses.Reason.ALIGNMENT);
    assertThat(consumer.paused()).isEqualTo(Set.of(A, B));
    assertThat(metrics.alignmentPausedPartitions.get()).isEqualTo(2);
    assertThat(pauses.isPausedOtherThan(A, InputPauses.Reason.ALIGNMENT)).isTrue();
    assertThat(pauses.isPausedOtherThan(B, InputPauses.Reason.ALIGNMENT)).isFalse();

    // The async operator has room again: A stays paused, alignment still holds it.
    pauses.resume(List.of(A), InputPauses.Reason.ASYNC_FULL);
    assertThat(consumer.paused()).isEqualTo(Set.of(A, B));

    pauses.resume(List.of(A, B), InputPauses.Reason.ALIGNMENT);
    assertThat(consumer.paused()).isEmpty();
    assertThat(metrics.alignmentPausedPartitions.get()).isZero();
    assertThat(pauses.pausedFor(InputPauses.Reason.ALIGNMENT)).isEmpty();
  }

  @Test
  void alignmentResumingDoesNotUndoAnAsyncPause() {
    pauses.pause(List.of(B), InputPauses.Reason.ALIGNMENT);
    pauses.pause(List.of(B), InputPauses.Reason.ASYNC_FULL);
    pauses.resume(List.of(A, B), InputPauses.Reason.ALIGNMENT); // A was never paused: left alone
    assertThat(consumer.paused()).isEqualTo(Set.of(B));
    assertThat(pauses.isPaused(B, InputPauses.Reason.ASYNC_FULL)).isTrue();
    assertThat(metrics.alignmentPausedPartitions.get()).isZero();
  }

  @Test
  void releasingAClosedTasksInputsResumesThoseStillAssigned() {
    pauses.pause(List.of(A), InputPauses.Reason.ASYNC_FULL);
    pauses.pause(List.of(A, B), InputPauses.Reason.ALIGNMENT);
    consumer.assign(List.of(A)); // B went with a rebalance; the consumer forgot its pause

    pauses.release(List.of(A, B));

    // A resumed. B was not asked to resume (Kafka's consumer throws for an unassigned partition);
    // the mock, unlike Kafka's consumer, keeps the flag of a partition it no longer has.
    assertThat(consumer.paused()).containsExactly(B);
    assertThat(pauses.pausedFor(InputPauses.Reason.ALIGNMENT)).isEmpty();
    assertThat(pauses.isPaused(A, InputPauses.Reason.ASYNC_FULL)).isFalse();
    assertThat(metrics.alignmentPausedPartitions.get()).isZero();
  }
}
