package dev.weir.internal.runtime;

import static dev.weir.internal.runtime.ThreadHarness.COMMIT_INTERVAL_MS;
import static dev.weir.internal.runtime.ThreadHarness.IN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/**
 * A stream thread polls its input while an exactly-once commit is in flight on the committer
 * (design record 035), on mock clients: the commit is held open by a gate that only a poll made
 * meanwhile opens, so each test fails if the thread waits idle instead. What is polled meanwhile is
 * processed after the commit and committed by the next one; a commit that fails drops it.
 */
class StreamThreadPollDuringCommitTest {
  /** A thread that polls during its commits, the first producer's commits held by a gate. */
  private static ThreadHarness overlapping(CountDownLatch gate) {
    ThreadHarness h = new ThreadHarness(true, 5);
    h.thread.pollDuringCommits(true);
    h.sidePolls = true;
    h.script.add(
        () -> {
          h.assign();
          h.producers.get(0).commitGate = gate;
        });
    return h;
  }

  @Test
  void inputPolledWhileTheCommitIsInFlightIsProcessedAfterItAndCommittedByTheNextOne() {
    CountDownLatch gate = new CountDownLatch(1);
    ThreadHarness h = overlapping(gate);
    h.append("a", "b");
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS)); // a, b read; the commit is due
    List<String> seenInFlight = new ArrayList<>();
    h.sideScript.add(
        () -> {
          // The commit of a and b is open: nothing of it is visible yet.
          seenInFlight.add("offsets " + h.brokerOffsets + ", output " + h.output());
          h.append("c");
          gate.countDown();
        });
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS)); // c, polled meanwhile, committed

    h.run();

    assertThat(seenInFlight).containsExactly("offsets {}, output []");
    assertThat(h.output()).containsExactly("A", "B", "C");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(3, "")));
    assertThat(h.producers).hasSize(1);
    assertThat(h.producers.get(0).aborts).isZero();
    // a and b in the first commit, c in the second; the final commit has nothing left.
    assertThat(h.thread.metrics().commits.sum()).isEqualTo(2);
    assertThat(h.failures).isEmpty();
  }

  @Test
  void aCommitThatFailsDropsWhatWasPolledMeanwhileAndTheWorkIsRedoneOnce() {
    CountDownLatch gate = new CountDownLatch(1);
    ThreadHarness h = overlapping(gate);
    h.append("a", "b");
    h.script.add(
        () -> {
          h.producers.get(0).commitFailures.add(new KafkaException("the commit failed"));
          h.clock.advance(COMMIT_INTERVAL_MS);
        });
    h.sideScript.add(
        () -> {
          h.append("c");
          gate.countDown();
        });
    // The rollback rewinds to the last commit (none: the start) and the loop reads a, b, c again;
    // c, polled during the failed commit, must not also come from what was polled meanwhile.
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));

    h.run();

    assertThat(h.output()).containsExactly("A", "B", "C");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(3, "")));
    assertThat(h.producers.get(0).aborts).isEqualTo(1);
    assertThat(h.thread.metrics().aborts.sum()).isEqualTo(1);
    assertThat(h.failures).isEmpty();
  }

  @Test
  void aRebalanceDuringTheCommitWaitsForItAndWhatWasPolledMeanwhileIsReadAgain() {
    CountDownLatch gate = new CountDownLatch(1);
    ThreadHarness h = overlapping(gate);
    h.append("a", "b");
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));
    // A poll during the commit brings a rebalance that takes the partition and gives it back: the
    // revocation waits for the commit in flight (opened here first), and the thread then rolls
    // back to it, so c, polled in this same poll, is read again from its offset, once.
    h.sideScript.add(
        () -> {
          h.append("c");
          gate.countDown();
          h.revokeAll();
          h.assign();
        });
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));

    h.run();

    assertThat(h.output()).containsExactly("A", "B", "C");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(IN, new OffsetAndMetadata(3, "")));
    assertThat(h.thread.metrics().aborts.sum()).isEqualTo(1); // the roll-back after the rebalance
    assertThat(h.failures).isEmpty();
  }
}
