package dev.weir.internal.runtime;

import static dev.weir.internal.runtime.ThreadHarness.COMMIT_INTERVAL_MS;
import static dev.weir.internal.runtime.ThreadHarness.in;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/**
 * Cooperative revocation on a stream thread with two tasks (partitions 0 and 1 of "in"), on mock
 * clients behind the client supplier: only the revoked task closes, the one that stays keeps
 * running through the revocation's commit (no abort, no rebuild), a failed revocation commit rolls
 * back only what it must, and a due commit waits while the member rejoins the group.
 */
class StreamThreadRevocationTest {
  private static ThreadHarness twoTasks() {
    return new ThreadHarness(true, 5, 2, in -> in.map(String::toUpperCase));
  }

  private static long created(ThreadHarness h) {
    return h.thread.metrics().tasksCreated.sum();
  }

  private static long closed(ThreadHarness h) {
    return h.thread.metrics().tasksClosed.sum();
  }

  private static long revoked(ThreadHarness h) {
    return h.thread.metrics().tasksRevoked.sum();
  }

  @Test
  void onlyTheRevokedTaskClosesAndTheOtherKeepsItsTransactionGoing() {
    ThreadHarness h = twoTasks();
    long[] atRevocation = new long[3];
    h.append(0, "a");
    h.append(1, "b");
    h.script.add(() -> h.rebalanceTo(0, 1));
    // Task 0_1 moves away: the thread commits both tasks' work (one transaction) and closes 0_1.
    h.script.add(() -> h.rebalanceTo(0));
    h.script.add(
        () -> {
          atRevocation[0] = created(h);
          atRevocation[1] = closed(h);
          atRevocation[2] = revoked(h);
          assertThat(h.brokerOffsets)
              .isEqualTo(
                  Map.of(in(0), new OffsetAndMetadata(1, ""), in(1), new OffsetAndMetadata(1, "")));
          // One transaction holds both tasks' records; which task ran first is not specified.
          assertThat(h.output()).containsExactlyInAnyOrder("A", "B");
          h.append(0, "c");
          h.append(1, "never read here");
        });
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));

    h.run();

    assertThat(atRevocation).containsExactly(2, 1, 1);
    assertThat(h.output()).hasSize(3).endsWith("C");
    assertThat(h.output().subList(0, 2)).containsExactlyInAnyOrder("A", "B");
    assertThat(h.brokerOffsets)
        .isEqualTo(
            Map.of(in(0), new OffsetAndMetadata(2, ""), in(1), new OffsetAndMetadata(1, "")));
    // Task 0_0 was never rebuilt, its producer never aborted nor replaced.
    assertThat(created(h)).isEqualTo(2);
    assertThat(closed(h)).isEqualTo(2); // 0_1 revoked, 0_0 at shutdown
    assertThat(revoked(h)).isEqualTo(1);
    assertThat(h.thread.metrics().aborts.sum()).isZero();
    assertThat(h.producers).hasSize(1);
    assertThat(h.producers.get(0).aborts).isZero();
    assertThat(h.events)
        .containsSubsequence("PARTITIONS_ASSIGNED", "RUNNING", "PARTITIONS_REVOKED", "RUNNING");
    assertThat(h.failures).isEmpty();
  }

  @Test
  void aFailedRevocationCommitClosesTheRevokedTaskDirtyAndRollsTheOtherBack() {
    ThreadHarness h = twoTasks();
    h.append(0, "a");
    h.append(1, "b");
    h.script.add(() -> h.rebalanceTo(0, 1));
    h.script.add(
        () -> {
          h.producers.get(0).commitFailures.add(new KafkaException("the broker said no"));
          h.rebalanceTo(0);
        });
    // The rollback rewound partition 0 to its (absent) committed offset: "a" comes again.
    h.script.add(() -> h.clock.advance(COMMIT_INTERVAL_MS));

    h.run();

    assertThat(h.output()).containsExactly("A");
    assertThat(h.brokerOffsets).isEqualTo(Map.of(in(0), new OffsetAndMetadata(1, "")));
    assertThat(h.producers.get(0).aborts).isEqualTo(1);
    assertThat(h.thread.metrics().aborts.sum()).isEqualTo(1);
    assertThat(created(h)).isEqualTo(3); // 0_0, 0_1, 0_0 rebuilt
    assertThat(closed(h)).isEqualTo(3); // 0_1 revoked dirty, 0_0 rolled back, 0_0 at shutdown
    assertThat(revoked(h)).isEqualTo(1);
    assertThat(h.failures).isEmpty();
  }

  @Test
  void aDueCommitWaitsWhileTheMemberRejoinsButNotPastHalfTheTransactionTimeout() {
    ThreadHarness h = twoTasks();
    h.append(0, "a");
    h.script.add(() -> h.rebalanceTo(0, 1));
    h.script.add(
        () -> {
          // The consumer sent its subscription: the coordinator may be a generation ahead.
          h.consumer.assignor().rebalancing = true;
          h.clock.advance(COMMIT_INTERVAL_MS);
        });
    h.script.add(() -> assertThat(h.brokerOffsets).isEmpty());
    // The assignment arrives (nothing moves): the due commit happens at once.
    h.script.add(() -> h.rebalanceTo(0, 1));
    h.script.add(
        () -> {
          assertThat(h.brokerOffsets).isEqualTo(Map.of(in(0), new OffsetAndMetadata(1, "")));
          h.append(0, "b");
          h.consumer.assignor().rebalancing = true;
          // A rebalance that takes long: half of transaction.timeout.ms (10 s) later, commit.
          h.clock.advance(4_000);
        });
    h.script.add(() -> assertThat(h.brokerOffsets.get(in(0)).offset()).isEqualTo(1));
    h.script.add(() -> h.clock.advance(1_000));
    h.script.add(
        () -> {
          assertThat(h.brokerOffsets.get(in(0)).offset()).isEqualTo(2);
          h.consumer.assignor().rebalancing = false;
        });

    h.run();

    assertThat(h.output()).containsExactly("A", "B");
    assertThat(h.failures).isEmpty();
    assertThat(created(h)).isEqualTo(2);
    assertThat(closed(h)).isEqualTo(2);
    assertThat(revoked(h)).isZero();
  }
}
