package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateCache;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interval join operator's parts that the driver tests cannot reach: its saturating arithmetic,
 * its segment length, and the move of state written before design record 018 into the segmented
 * buffers.
 */
class IntervalJoinOperatorTest {
  private static final long MAX = Long.MAX_VALUE;
  private static final long MIN = Long.MIN_VALUE;

  private final StateBackend backend = StateBackends.inMemory();
  private final TaskState state =
      TaskState.open(
          backend,
          "0_0",
          0,
          List.of(new TaskState.StoreSpec("j", "app-j-changelog")),
          StateCache.disabled());
  private byte[] currentKey;

  @AfterEach
  void close() {
    state.close();
    backend.close();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void plusAddsAndSaturatesAtBothEnds() {
    assertThat(IntervalJoinOperator.plus(10, -3)).isEqualTo(7);
    assertThat(IntervalJoinOperator.plus(-10, 3)).isEqualTo(-7);
    assertThat(IntervalJoinOperator.plus(MAX - 1, 1)).isEqualTo(MAX);
    assertThat(IntervalJoinOperator.plus(MAX, 1)).isEqualTo(MAX);
    assertThat(IntervalJoinOperator.plus(MAX, MAX)).isEqualTo(MAX);
    assertThat(IntervalJoinOperator.plus(MIN + 1, -1)).isEqualTo(MIN);
    assertThat(IntervalJoinOperator.plus(MIN, -1)).isEqualTo(MIN);
    assertThat(IntervalJoinOperator.plus(MIN, MIN)).isEqualTo(MIN);
    // Opposite signs never overflow.
    assertThat(IntervalJoinOperator.plus(MAX, MIN)).isEqualTo(-1);
    assertThat(IntervalJoinOperator.plus(MIN, MAX)).isEqualTo(-1);
  }

  @Test
  void minusSubtractsAndSaturatesAtBothEndsIncludingTheLowestLong() {
    assertThat(IntervalJoinOperator.minus(10, 3)).isEqualTo(7);
    assertThat(IntervalJoinOperator.minus(10, -3)).isEqualTo(13);
    assertThat(IntervalJoinOperator.minus(MAX, -1)).isEqualTo(MAX);
    assertThat(IntervalJoinOperator.minus(MIN, 1)).isEqualTo(MIN);
    assertThat(IntervalJoinOperator.minus(MIN + 1, 1)).isEqualTo(MIN);
    // b = MIN_VALUE cannot be negated: a - MIN overflows exactly when a >= 0.
    assertThat(IntervalJoinOperator.minus(0, MIN)).isEqualTo(MAX);
    assertThat(IntervalJoinOperator.minus(5, MIN)).isEqualTo(MAX);
    assertThat(IntervalJoinOperator.minus(-1, MIN)).isEqualTo(MAX);
    assertThat(IntervalJoinOperator.minus(-2, MIN)).isEqualTo(MAX - 1);
    assertThat(IntervalJoinOperator.minus(MIN, MIN)).isEqualTo(0);
    assertThat(IntervalJoinOperator.minus(MAX, MAX)).isEqualTo(0);
    assertThat(IntervalJoinOperator.minus(MIN, MAX)).isEqualTo(MIN);
  }

  @Test
  void aSegmentIsTheBoundsSpanAndAtLeastOneMillisecond() {
    assertThat(IntervalJoinOperator.segmentMs(-10_000, 10_000)).isEqualTo(20_000);
    assertThat(IntervalJoinOperator.segmentMs(-5, -2)).isEqualTo(3);
    assertThat(IntervalJoinOperator.segmentMs(7, 7)).isEqualTo(1);
    assertThat(IntervalJoinOperator.segmentMs(MIN, MAX)).isEqualTo(MAX);
    assertThat(IntervalJoinOperator.segmentMs(MIN, 0)).isEqualTo(MAX);
  }

  private OperatorStates states() {
    return new OperatorStates("join", "j", state.store("j"), () -> currentKey, () -> 0L, true);
  }

  private static List<String> keysOf(KeyValueStore store) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator it = store.all()) {
      it.forEachRemaining(e -> keys.add(new String(new byte[] {e.key()[0], e.key()[1]})));
    }
    return keys;
  }

  @Test
  void stateOfTheLayoutBeforeRecord018MovesIntoTheSegmentedBuffers() throws Exception {
    // Written as Weir wrote it before: a map state per side from timestamp to records, and one
    // event-time cleanup timer per buffered record. Beside it: a join function's own state and a
    // processing-time timer, which stay.
    OperatorStates old = states();
    MapState<Long, List<String>> left =
        old.map(
            new MapStateDescriptor<>(
                IntervalJoinOperator.LEFT, Serdes.Long(), new RecordListSerde<>(Serdes.String())));
    MapState<Long, List<String>> right =
        old.map(
            new MapStateDescriptor<>(
                IntervalJoinOperator.RIGHT, Serdes.Long(), new RecordListSerde<>(Serdes.String())));
    ValueState<String> own = old.value(new ValueStateDescriptor<>("own", Serdes.String()));
    currentKey = utf8("a");
    left.put(10L, List.of("a:1", "a:2"));
    left.put(25L, List.of("a:3"));
    right.put(12L, List.of("a:x"));
    own.update("kept");
    old.timers().register(TimerStore.EVENT, 13, currentKey);
    old.timers().register(TimerStore.EVENT, 28, currentKey);
    old.timers().register(TimerStore.EVENT, 14, currentKey);
    old.timers().register(TimerStore.PROCESSING, 99, currentKey);
    currentKey = utf8("b");
    left.put(11L, List.of("b:1"));
    old.timers().register(TimerStore.EVENT, 14, currentKey);
    KeyValueStore store = state.store("j");

    assertThat(IntervalJoinOperator.migrate(store, 5)).isEqualTo(4);

    OperatorStates now = states();
    SegmentedBuffer<String> l = now.segmentedBuffer(IntervalJoinOperator.LEFT, Serdes.String(), 5);
    SegmentedBuffer<String> r = now.segmentedBuffer(IntervalJoinOperator.RIGHT, Serdes.String(), 5);
    List<String> seen = new ArrayList<>();
    currentKey = utf8("a");
    l.forEachBetween(MIN, MAX, (t, records) -> seen.add("L" + t + records));
    r.forEachBetween(MIN, MAX, (t, records) -> seen.add("R" + t + records));
    currentKey = utf8("b");
    l.forEachBetween(MIN, MAX, (t, records) -> seen.add("L" + t + records));
    assertThat(seen).containsExactly("L10[a:1, a:2]", "L25[a:3]", "R12[a:x]", "L11[b:1]");
    // 3 left and 1 right buffer entries, the function's state, the processing-time timer.
    assertThat(keysOf(store))
        .containsExactly("J\u0017", "J\u0017", "J\u0017", "J\u0018", "k\u0003", "tp");
    currentKey = utf8("a");
    assertThat(own.value()).isEqualTo("kept");
    // A second open finds nothing more to move.
    assertThat(IntervalJoinOperator.migrate(store, 5)).isZero();
    // The moved entries expire by segment as new ones do: through 14 drops the segment [10, 14].
    assertThat(l.dropThrough(14)).isEqualTo(2);
    assertThat(keysOf(store)).containsExactly("J\u0017", "J\u0018", "k\u0003", "tp");
  }
}
