package dev.weir.internal.runtime;

import static dev.weir.internal.runtime.ThreadHarness.COMMIT_INTERVAL_MS;
import static dev.weir.internal.runtime.ThreadHarness.IN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.errors.WeirException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Every failure of a stream thread's commit path, on mock clients and a manual clock: what was
 * committed, whether the producer was aborted or replaced, the thread's states, and whether the
 * thread failure policy was called (design record 005 has the table these tests check).
 */
class StreamThreadCommitFailureTest {
  /** The states of a thread that gets its task, runs and is shut down. */
  private static final List<String> CLEAN_RUN =
      List.of("STARTING", "PARTITIONS_ASSIGNED", "RUNNING", "PENDING_SHUTDOWN", "DEAD");

  /** An Error a client throws: not a failure of the commit path. */
  static final class ClientError extends Error {
    private static final long serialVersionUID = 1L;

    ClientError() {
      super("the client broke");
    }
  }

  private static ThreadHarness exactlyOnce() {
    return new ThreadHarness(true, 5);
  }

  /** Assign, read a and b, then the first commit (which the test makes fail) at the next poll. */
  private static void readTwoThenCommit(ThreadHarness h, Runnable beforeCommit) {
    h.append("a", "b");
    h.script.add(h::assign);
    h.script.add(
        () -> {
          beforeCommit.run();
          h.clock.advance(COMMIT_INTERVAL_MS);
        });
  }

  /** One more poll that redelivers what the rollback rewound and commits it. */
  private static void thenCommitAgain(ThreadHarness h) {
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));
  }

  @Test
  void aSuccessfulCommitCommitsOutputAndOffsetsOnce() {
    ThreadHarness h = exactlyOnce();
    readTwoThenCommit(h, () -> {});

    h.run();

    assertThat(h.output()).containsExactly("A", "B");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(2, "")));
    assertThat(h.producers).hasSize(1);
    assertThat(h.producers.get(0).aborts).isZero();
    assertThat(h.producers.get(0).closed()).isTrue();
    assertThat(h.consumer.closed()).isTrue();
    assertThat(h.events).isEqualTo(CLEAN_RUN);
    assertThat(h.failures).isEmpty();
    assertThat(h.thread.metrics().commits.sum()).isEqualTo(1);
    assertThat(h.thread.metrics().aborts.sum()).isZero();
  }

  @Test
  void fencedProducerIsReplacedWithoutAbortAndTheWorkIsRedone() {
    ThreadHarness h = exactlyOnce();
    readTwoThenCommit(
        h, () -> h.producers.get(0).commitFailures.add(new ProducerFencedException("fenced")));
    thenCommitAgain(h);

    h.run();

    // The fenced transaction never committed; the new producer committed the redone work.
    assertThat(h.producers).hasSize(2);
    assertThat(h.producers.get(0).history()).isEmpty();
    assertThat(h.producers.get(0).aborts).isZero();
    assertThat(h.producers.get(0).closed()).isTrue();
    assertThat(h.output()).containsExactly("A", "B");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(2, "")));
    assertThat(h.thread.metrics().aborts.sum()).isEqualTo(1);
    assertThat(h.thread.metrics().commits.sum()).isEqualTo(1);
    assertThat(h.events).isEqualTo(CLEAN_RUN);
    assertThat(h.failures).isEmpty();
  }

  @Test
  void timedOutCommitReplacesTheProducerWithoutAbortAndTheRetryCommits() {
    ThreadHarness h = exactlyOnce();
    readTwoThenCommit(
        h, () -> h.producers.get(0).commitFailures.add(new TimeoutException("commit timed out")));
    thenCommitAgain(h);

    h.run();

    // Had the thread aborted, the fake (like Kafka's producer) would have thrown.
    assertThat(h.producers.get(0).aborts).isZero();
    assertThat(h.producers.get(0).closed()).isTrue();
    assertThat(h.producers).hasSize(2);
    assertThat(h.output()).containsExactly("A", "B");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(2, "")));
    assertThat(h.thread.metrics().aborts.sum()).isEqualTo(1);
    assertThat(h.events).isEqualTo(CLEAN_RUN);
    assertThat(h.failures).isEmpty();
  }

  @Test
  void unknownOutcomeThatCommittedIsNotRedone() {
    ThreadHarness h = exactlyOnce();
    readTwoThenCommit(
        h,
        () -> {
          h.producers.get(0).commitThenTimeOut = true;
          h.producers.get(0).commitFailures.add(new TimeoutException("no answer"));
        });
    thenCommitAgain(h);

    h.run();

    // The broker committed the transaction whose answer timed out: the thread rewinds to the
    // offsets Kafka holds, so nothing is processed twice.
    assertThat(h.producers.get(0).aborts).isZero();
    assertThat(h.producers).hasSize(2);
    assertThat(h.output()).containsExactly("A", "B");
    assertThat(h.producers.get(1).history()).isEmpty();
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(2, "")));
    assertThat(h.events).isEqualTo(CLEAN_RUN);
    assertThat(h.failures).isEmpty();
  }

  @Test
  void timedOutCommitOnRevocationDoesNotAskTheProducerToAbort() {
    ThreadHarness h = exactlyOnce();
    h.append("a", "b");
    h.script.add(h::assign);
    h.script.add(
        () -> {
          h.producers.get(0).commitFailures.add(new TimeoutException("commit timed out"));
          h.revokeAll();
        });
    h.script.add(h::assign);
    thenCommitAgain(h);

    h.run();

    // Kafka's producer refuses to abort after a timed-out commit (IllegalStateException); the
    // thread must replace it instead of asking.
    assertThat(h.producers.get(0).aborts).isZero();
    assertThat(h.producers).hasSize(2);
    assertThat(h.output()).containsExactly("A", "B");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(2, "")));
    assertThat(h.events)
        .containsExactly(
            "STARTING",
            "PARTITIONS_ASSIGNED",
            "RUNNING",
            "PARTITIONS_REVOKED",
            // The mock consumer completes the rebalance with an empty assignment, then a second
            // one gives the partition back.
            "PARTITIONS_ASSIGNED",
            "RUNNING",
            "PARTITIONS_ASSIGNED",
            "RUNNING",
            "PENDING_SHUTDOWN",
            "DEAD");
    assertThat(h.failures).isEmpty();
  }

  @Test
  void abortableFailureAbortsAndKeepsTheProducer() {
    ThreadHarness h = exactlyOnce();
    readTwoThenCommit(
        h, () -> h.producers.get(0).commitFailures.add(new KafkaException("abortable")));
    thenCommitAgain(h);

    h.run();

    assertThat(h.producers).hasSize(1);
    assertThat(h.producers.get(0).aborts).isEqualTo(1);
    assertThat(h.output()).containsExactly("A", "B");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(2, "")));
    assertThat(h.events).isEqualTo(CLEAN_RUN);
    assertThat(h.failures).isEmpty();
  }

  @Test
  void refusedAbortReplacesTheProducer() {
    ThreadHarness h = exactlyOnce();
    readTwoThenCommit(
        h,
        () -> {
          h.producers.get(0).commitFailures.add(new KafkaException("abortable"));
          h.producers.get(0).abortFailure = new KafkaException("abort refused");
        });
    thenCommitAgain(h);

    h.run();

    assertThat(h.producers.get(0).aborts).isEqualTo(1);
    assertThat(h.producers.get(0).closed()).isTrue();
    assertThat(h.producers).hasSize(2);
    assertThat(h.output()).containsExactly("A", "B");
    assertThat(h.events).isEqualTo(CLEAN_RUN);
    assertThat(h.failures).isEmpty();
  }

  @Test
  void errorFromTheClientKillsTheThreadClosesItsClientsAndCallsTheFailurePolicy() {
    ThreadHarness h = exactlyOnce();
    ClientError error = new ClientError();
    h.append("a");
    h.script.add(
        () -> {
          h.assign();
          h.producers.get(0).sendFailure = error;
          h.producers.get(0).abortFailure = new ClientError();
        });

    h.run();

    // Before the fix the Error from abortTransaction escaped the cleanup: no client closed, no
    // state change, no failure policy, and the instance stayed RUNNING.
    assertThat(h.failures).containsExactly(error);
    assertThat(h.producers.get(0).aborts).isEqualTo(1);
    assertThat(h.producers.get(0).closed()).isTrue();
    assertThat(h.consumer.closed()).isTrue();
    assertThat(h.thread.threadState()).isEqualTo(StreamThread.State.DEAD);
    assertThat(h.events)
        .containsExactly("STARTING", "PARTITIONS_ASSIGNED", "RUNNING", "PENDING_SHUTDOWN", "DEAD");
    assertThat(h.output()).isEmpty();
    assertThat(h.brokerOffsets).isEmpty();
  }

  @Test
  void errorFromTheCommitKillsTheThreadAndCallsTheFailurePolicy() {
    ThreadHarness h = exactlyOnce();
    ClientError error = new ClientError();
    readTwoThenCommit(h, () -> h.producers.get(0).commitFailures.add(error));

    h.run();

    assertThat(h.failures).containsExactly(error);
    assertThat(h.producers).hasSize(1);
    assertThat(h.producers.get(0).aborts).isEqualTo(1);
    assertThat(h.producers.get(0).closed()).isTrue();
    assertThat(h.consumer.closed()).isTrue();
    assertThat(h.output()).isEmpty();
    assertThat(h.brokerOffsets).isEmpty();
    assertThat(h.events).isEqualTo(CLEAN_RUN);
  }

  @Test
  void tooManyConsecutiveFailuresKillTheThread() {
    ThreadHarness h = new ThreadHarness(true, 1);
    readTwoThenCommit(
        h, () -> h.producers.get(0).commitFailures.add(new TimeoutException("first")));
    h.script.add(
        () -> {
          h.producers.get(1).commitFailures.add(new TimeoutException("second"));
          h.clock.advance(COMMIT_INTERVAL_MS);
        });

    h.run();

    assertThat(h.failures).hasSize(1);
    assertThat(h.failures.get(0))
        .isInstanceOf(WeirException.class)
        .hasMessageContaining("2 consecutive commits failed")
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(h.producers).hasSize(2);
    assertThat(h.producers.get(0).aborts).isZero();
    // The second timeout's producer is never aborted either: its outcome is unknown.
    assertThat(h.producers.get(1).aborts).isZero();
    assertThat(h.producers.get(1).closed()).isTrue();
    assertThat(h.output()).isEmpty();
    assertThat(h.events).isEqualTo(CLEAN_RUN);
  }

  @Test
  void atLeastOnceCommitFailedRedoesTheWorkFromTheCommittedOffsets() {
    ThreadHarness h = new ThreadHarness(false, 5);
    readTwoThenCommit(
        h, () -> h.consumer.commitSyncFailures.add(new CommitFailedException("rebalanced")));
    thenCommitAgain(h);

    h.run();

    // At-least-once: the first attempt's records were written and stay; the redo writes again.
    assertThat(h.output()).containsExactly("A", "B", "A", "B");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(2, "")));
    assertThat(h.thread.metrics().aborts.sum()).isEqualTo(1);
    assertThat(h.events).isEqualTo(CLEAN_RUN);
    assertThat(h.failures).isEmpty();
  }
}
