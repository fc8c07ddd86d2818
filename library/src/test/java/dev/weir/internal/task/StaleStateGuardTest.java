package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.internal.task.StaleStateGuard.Reason;
import dev.weir.internal.task.StaleStateGuard.Stale;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When local state is too old to restore from, and what the guard does about it. */
class StaleStateGuardTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final long MARGIN = StaleStateGuard.marginMs(true, 10_000);
  private static final TopicPartition CHANGELOG = new TopicPartition("app-s-changelog", 0);

  private final StateBackend backend = StateBackends.inMemory();
  private final FakeChangelog consumer = new FakeChangelog();
  private final StaleStateGuard guard =
      new StaleStateGuard(Map.of(CHANGELOG.topic(), DAY), MARGIN, true, () -> NOW);

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void nothingPastTheLocalOffsetIsNeverStale() {
    assertThat(StaleStateGuard.judge(10, 0, 10, null, false)).isNull();
    assertThat(StaleStateGuard.judge(10, 0, 10, null, true)).isNull();
    assertThat(StaleStateGuard.judge(12, 0, 10, null, false)).as("end not yet stable").isNull();
  }

  @Test
  void underExactlyOnceTheOffsetAtTheLocalOffsetIsTheOwnCommitMarker() {
    // Committed records up to 9, marker at 10, nothing since: however old, nothing was missed.
    assertThat(StaleStateGuard.judge(10, 0, 11, null, true)).isNull();
    // Without transactions the record at 10 is someone else's, maybe a removed tombstone.
    assertThat(StaleStateGuard.judge(10, 0, 11, null, false))
        .isEqualTo(new Stale(Reason.OLDER_THAN_DELETE_RETENTION, 10, 11));
    // A recent tail right after the own marker.
    assertThat(StaleStateGuard.judge(10, 0, 20, 11L, true)).isNull();
    assertThat(StaleStateGuard.judge(10, 0, 20, 12L, true))
        .isEqualTo(new Stale(Reason.OLDER_THAN_DELETE_RETENTION, 10, 12));
  }

  @Test
  void aTailOlderThanTheRetentionIsStale() {
    assertThat(StaleStateGuard.judge(10, 0, 20, 10L, false)).isNull();
    assertThat(StaleStateGuard.judge(10, 0, 20, 4L, false)).isNull();
    assertThat(StaleStateGuard.judge(10, 0, 20, 11L, false))
        .isEqualTo(new Stale(Reason.OLDER_THAN_DELETE_RETENTION, 10, 11));
    assertThat(StaleStateGuard.judge(10, 0, 20, null, false))
        .as("no record is recent")
        .isEqualTo(new Stale(Reason.OLDER_THAN_DELETE_RETENTION, 10, 20));
  }

  @Test
  void aLocalOffsetBelowTheLogStartIsStaleHoweverRecentTheRecords() {
    assertThat(StaleStateGuard.judge(5, 8, 20, 0L, false))
        .isEqualTo(new Stale(Reason.BELOW_LOG_START, 5, 8));
    assertThat(StaleStateGuard.judge(5, 6, 20, 0L, true))
        .isEqualTo(new Stale(Reason.BELOW_LOG_START, 5, 6));
  }

  @Test
  void theMarginCoversTwoClocksAndUnderExactlyOnceATransaction() {
    assertThat(StaleStateGuard.marginMs(false, 10_000))
        .isEqualTo(Duration.ofMinutes(10).toMillis());
    assertThat(StaleStateGuard.marginMs(true, 10_000))
        .isEqualTo(Duration.ofMinutes(10).toMillis() + 10_000);
    assertThat(guard.cutoffMs(CHANGELOG.topic(), NOW)).isEqualTo(NOW - DAY + MARGIN);
    assertThatThrownBy(() -> guard.cutoffMs("other", NOW))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("other");
  }

  @Test
  void recordsBeforeTheCutoffAfterTheLocalOffsetMakeItStale() {
    long cutoff = NOW - DAY + MARGIN;
    consumer.log(CHANGELOG, 0, cutoff - 2, cutoff - 1, cutoff, cutoff + 1);
    // Under exactly-once offset 0 (1) is the local state's commit marker; 1 (2) is first unseen.
    assertThat(guard.staleChangelogs(consumer, Map.of(CHANGELOG, 0L), NOW))
        .isEqualTo(Map.of(CHANGELOG, new Stale(Reason.OLDER_THAN_DELETE_RETENTION, 0, 2)));
    assertThat(guard.staleChangelogs(consumer, Map.of(CHANGELOG, 1L), NOW)).isEmpty();
    assertThat(guard.staleChangelogs(consumer, Map.of(CHANGELOG, 2L), NOW)).isEmpty();
  }

  @Test
  void aLogStartAboveTheLocalOffsetMakesItStale() {
    consumer.log(CHANGELOG, 5, NOW, NOW, NOW);
    assertThat(guard.staleChangelogs(consumer, Map.of(CHANGELOG, 3L), NOW))
        .isEqualTo(Map.of(CHANGELOG, new Stale(Reason.BELOW_LOG_START, 3, 5)));
  }

  @Test
  void aPartitionWithNothingNewCostsOnlyTheEndOffsets() {
    consumer.log(CHANGELOG, 0, NOW - 30 * DAY, NOW - 30 * DAY);
    assertThat(guard.staleChangelogs(consumer, Map.of(CHANGELOG, 1L), NOW)).isEmpty();
    assertThat(consumer.offsetsForTimesCalls).isZero();
  }

  @Test
  void aRetentionBeyondTheEpochMakesEveryRecordRecent() {
    StaleStateGuard forever =
        new StaleStateGuard(Map.of(CHANGELOG.topic(), Long.MAX_VALUE), MARGIN, true, () -> NOW);
    consumer.log(CHANGELOG, 0, 1, 2, 3, 4, 5);
    assertThat(forever.staleChangelogs(consumer, Map.of(CHANGELOG, 1L), NOW)).isEmpty();
    assertThat(consumer.offsetsForTimesCalls).isZero();
  }

  @Test
  void freshOrCurrentStateIsKept() {
    TaskStateStore state = backend.open("0_0", List.of("s"));
    assertThat(guard.wipeIfStale(backend, state, List.of("s"), List.of(CHANGELOG), consumer))
        .as("no local offset: restores from the beginning anyway")
        .isSameAs(state);
    commit(state, 2);
    consumer.log(CHANGELOG, 0, NOW - 2 * DAY, NOW - 2 * DAY, NOW - HOUR, NOW - HOUR);
    assertThat(guard.wipeIfStale(backend, state, List.of("s"), List.of(CHANGELOG), consumer))
        .isSameAs(state);
    assertThat(state.store("s").get(new byte[] {1})).isNotNull();
    assertThat(guard.wiped()).isZero();
    state.close();
  }

  @Test
  void staleStateIsWipedAndReopenedEmpty() {
    TaskStateStore state = backend.open("0_0", List.of("s"));
    commit(state, 2);
    consumer.log(CHANGELOG, 0, NOW - 3 * DAY, NOW - 3 * DAY, NOW - 2 * DAY, NOW - 2 * DAY);
    TaskStateStore wiped =
        guard.wipeIfStale(backend, state, List.of("s"), List.of(CHANGELOG), consumer);
    assertThat(wiped).isNotSameAs(state);
    assertThat(wiped.committedOffsets()).isEmpty();
    assertThat(wiped.store("s").get(new byte[] {1})).isNull();
    assertThatThrownBy(state::committedOffsets).isInstanceOf(IllegalStateException.class);
    assertThat(guard.wiped()).isEqualTo(1);
    wiped.close();
  }

  @Test
  void severalTasksAreJudgedAsOneByOneButWithOneRoundOfRequests() {
    TopicPartition p1 = new TopicPartition(CHANGELOG.topic(), 1);
    TopicPartition p2 = new TopicPartition(CHANGELOG.topic(), 2);
    TaskStateStore current = backend.open("0_0", List.of("s"));
    TaskStateStore fresh = backend.open("0_1", List.of("s"));
    TaskStateStore stale = backend.open("0_2", List.of("s"));
    commit(current, CHANGELOG, 2);
    commit(stale, p2, 2);
    consumer.log(CHANGELOG, 0, NOW - 2 * DAY, NOW - 2 * DAY, NOW - HOUR, NOW - HOUR);
    consumer.log(p1, 0, NOW - 3 * DAY, NOW - 3 * DAY);
    consumer.log(p2, 0, NOW - 3 * DAY, NOW - 3 * DAY, NOW - 2 * DAY, NOW - 2 * DAY);

    List<TaskStateStore> out =
        guard.wipeIfStale(
            backend,
            List.of(
                new StaleStateGuard.Candidate(current, List.of("s"), List.of(CHANGELOG)),
                new StaleStateGuard.Candidate(fresh, List.of("s"), List.of(p1)),
                new StaleStateGuard.Candidate(stale, List.of("s"), List.of(p2))),
            consumer);

    assertThat(out.get(0)).isSameAs(current);
    assertThat(out.get(1)).as("no local offset").isSameAs(fresh);
    assertThat(out.get(2)).isNotSameAs(stale);
    assertThat(out.get(2).taskId()).isEqualTo("0_2");
    assertThat(out.get(2).committedOffsets()).isEmpty();
    assertThatThrownBy(stale::committedOffsets).isInstanceOf(IllegalStateException.class);
    assertThat(guard.wiped()).isEqualTo(1);
    assertThat(consumer.endOffsetsCalls).as("one request for both local offsets").isEqualTo(1);
    assertThat(consumer.offsetsForTimesCalls).isEqualTo(1);
    out.forEach(TaskStateStore::close);
  }

  @Test
  void aFailedLookupClosesEveryStateHandedIn() {
    TaskStateStore a = backend.open("0_0", List.of("s"));
    TaskStateStore b = backend.open("0_1", List.of("s"));
    commit(a, CHANGELOG, 2);
    RuntimeException down = new org.apache.kafka.common.errors.TimeoutException("no broker");
    consumer.setOffsetsException(down);

    assertThatThrownBy(
            () ->
                guard.wipeIfStale(
                    backend,
                    List.of(
                        new StaleStateGuard.Candidate(a, List.of("s"), List.of(CHANGELOG)),
                        new StaleStateGuard.Candidate(
                            b, List.of("s"), List.of(new TopicPartition(CHANGELOG.topic(), 1)))),
                    consumer))
        .isSameAs(down);

    assertThatThrownBy(a::committedOffsets).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(b::committedOffsets).isInstanceOf(IllegalStateException.class);
    // Closed, so the tasks can be opened again.
    backend.open("0_0", List.of("s")).close();
    backend.open("0_1", List.of("s")).close();
  }

  private static void commit(TaskStateStore state, long nextOffset) {
    commit(state, CHANGELOG, nextOffset);
  }

  private static void commit(TaskStateStore state, TopicPartition changelog, long nextOffset) {
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.put("s", new byte[] {1}, new byte[] {1});
      batch.putOffset(changelog.toString(), nextOffset);
      state.applyBatch(batch);
    }
  }

  /**
   * A changelog's offsets and record timestamps behind the consumer calls the guard makes (a fake,
   * not a protocol mock: Kafka's {@link MockConsumer} has no offsetsForTimes).
   */
  private static final class FakeChangelog extends MockConsumer<byte[], byte[]> {
    private final Map<TopicPartition, Long> logStarts = new HashMap<>();
    private final Map<TopicPartition, long[]> timestamps = new HashMap<>();
    int offsetsForTimesCalls;
    int endOffsetsCalls;
    private RuntimeException offsetsException;

    FakeChangelog() {
      super("earliest");
    }

    /** Records from {@code logStart} on, with these timestamps; the end follows the last one. */
    void log(TopicPartition tp, long logStart, long... recordTimestamps) {
      logStarts.put(tp, logStart);
      timestamps.put(tp, recordTimestamps);
      updateBeginningOffsets(Map.of(tp, logStart));
      updateEndOffsets(Map.of(tp, logStart + recordTimestamps.length));
    }

    void setOffsetsException(RuntimeException e) {
      offsetsException = e;
    }

    @Override
    public synchronized Map<TopicPartition, Long> endOffsets(
        java.util.Collection<TopicPartition> partitions) {
      endOffsetsCalls++;
      if (offsetsException != null) {
        throw offsetsException;
      }
      return super.endOffsets(partitions);
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
        Map<TopicPartition, Long> targets) {
      offsetsForTimesCalls++;
      Map<TopicPartition, OffsetAndTimestamp> found = new HashMap<>();
      targets.forEach(
          (tp, target) -> {
            long[] ts = timestamps.get(tp);
            for (int i = 0; i < ts.length; i++) {
              if (ts[i] >= target) {
                found.put(tp, new OffsetAndTimestamp(logStarts.get(tp) + i, ts[i]));
                return;
              }
            }
            found.put(tp, null);
          });
      return found;
    }
  }
}
