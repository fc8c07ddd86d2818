package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AbstractRichFunction;
import dev.weir.functions.CoGroupFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.JoinFunction;
import dev.weir.internal.driver.DriverCore;
import dev.weir.windowing.CountTrigger;
import dev.weir.windowing.EventTimeSessionWindows;
import dev.weir.windowing.GlobalWindows;
import dev.weir.windowing.SlidingEventTimeWindows;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * Window joins and coGroups (SEMANTICS F2, F3) through the deterministic driver: records {@code
 * "key:value"} on topics {@code left} and {@code right}, whole outputs asserted.
 */
class WindowJoinTest {

  /** {@code "a:1|a:x"}. */
  static final class Pair implements JoinFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String join(String first, String second) {
      return first + "|" + second;
    }
  }

  /** {@code "[a:1,a:2]|[a:x]"}. */
  static final class Groups implements CoGroupFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void coGroup(Iterable<String> first, Iterable<String> second, Collector<String> out) {
      out.collect(list(first) + "|" + list(second));
    }

    private static String list(Iterable<String> xs) {
      List<String> l = new ArrayList<>();
      xs.forEach(l::add);
      return l.toString();
    }
  }

  /** A rich join function, to see that it is opened before its first pair. */
  static final class RichPair extends AbstractRichFunction
      implements JoinFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient String prefix;

    @Override
    public void open() {
      prefix = "opened:";
    }

    @Override
    public String join(String first, String second) {
      return prefix + first + "|" + second;
    }
  }

  static String key(String v) {
    return v.substring(0, v.indexOf(':'));
  }

  private static DataStream<String> source(StreamBuilder b, String topic) {
    return b.fromSource(
        KafkaSource.topic(topic, Serdes.String()),
        WatermarkStrategy.forMonotonousTimestamps(),
        topic);
  }

  /** A driver running {@code pipeline(left, right)} into topic {@code out}; its store is "j". */
  private static Driver driver(
      BiFunction<DataStream<String>, DataStream<String>, SingleOutputStreamOperator<String>>
          pipeline) {
    StreamBuilder b = new StreamBuilder();
    pipeline
        .apply(source(b, "left"), source(b, "right"))
        .uid("j")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return new Driver(b);
  }

  /**
   * Moves both inputs' watermarks (the window task's is their minimum) to {@code time - 1}, with
   * keys that never meet.
   */
  private static void advance(Driver d, long time) {
    d.pipe("left", "y:flush", time);
    d.pipe("right", "z:flush", time);
  }

  @Test
  void tumblingWindowJoinEmitsTheCrossProductOfEachKeysWindowAtItsEnd() {
    try (Driver d =
        driver(
            (l, r) ->
                l.join(r)
                    .where(WindowJoinTest::key, Serdes.String())
                    .equalTo(WindowJoinTest::key)
                    .window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .apply(new Pair()))) {
      d.pipe("left", "a:1", 1);
      d.pipe("left", "a:2", 5);
      d.pipe("left", "b:1", 3); // b has no right record: never emitted
      d.pipe("right", "a:x", 7);
      d.pipe("right", "a:y", 12); // 5 ms after a:2 but in the next window: no pair
      d.pipe("right", "c:1", 4); // no left record
      assertThat(d.values("out")).isEmpty(); // nothing fires before the watermark passes 9
      advance(d, 100);
      List<DriverCore.Output> out = d.records("out");
      assertThat(out)
          .extracting(o -> Driver.string(o.value()))
          .containsExactly("a:1|a:x", "a:2|a:x");
      assertThat(out).extracting(DriverCore.Output::timestamp).containsExactly(9L, 9L);
    }
  }

  @Test
  void slidingWindowJoinPairsRecordsOnlyInTheWindowsTheyShare() {
    try (Driver d =
        driver(
            (l, r) ->
                l.join(r)
                    .where(WindowJoinTest::key, Serdes.String())
                    .equalTo(WindowJoinTest::key)
                    .window(SlidingEventTimeWindows.of(Duration.ofMillis(10), Duration.ofMillis(5)))
                    .apply(new Pair()))) {
      d.pipe("left", "a:1", 7); // [0,10) and [5,15)
      d.pipe("right", "a:x", 12); // [5,15) and [10,20)
      d.pipe("right", "a:y", 3); // [-5,5) and [0,10)
      advance(d, 100);
      List<DriverCore.Output> out = d.records("out");
      assertThat(out)
          .extracting(o -> Driver.string(o.value()))
          .containsExactly("a:1|a:y", "a:1|a:x");
      assertThat(out).extracting(DriverCore.Output::timestamp).containsExactly(9L, 14L);
    }
  }

  @Test
  void sessionCoGroupSeesBothSidesOfAMergedSessionAndOneSidedSessions() {
    try (Driver d =
        driver(
            (l, r) ->
                l.coGroup(r)
                    .where(WindowJoinTest::key, Serdes.String())
                    .equalTo(WindowJoinTest::key)
                    .window(EventTimeSessionWindows.withGap(Duration.ofMillis(5)))
                    .apply(new Groups()))) {
      d.pipe("left", "a:1", 1); // [1,6)
      d.pipe("right", "a:x", 4); // [4,9): merges into [1,9)
      d.pipe("left", "a:2", 20); // [20,25): a session with no right record
      d.pipe("right", "b:y", 21); // a key with no left record
      advance(d, 100);
      List<DriverCore.Output> out = d.records("out");
      assertThat(out)
          .extracting(o -> Driver.string(o.value()))
          .containsExactly("[a:1]|[a:x]", "[a:2]|[]", "[]|[b:y]");
      assertThat(out).extracting(DriverCore.Output::timestamp).containsExactly(8L, 24L, 25L);
      // Only the two flush keys' open sessions are left: per key the contents and the session list
      // (each a list: a header and its batch's marker holding the element, design records 012,
      // 032 and 039) and the cleanup timer.
      assertThat(d.core.storeEntries("j")).isEqualTo(10);
    }
  }

  @Test
  void sessionWindowJoinJoinsAcrossTheMergedSession() {
    try (Driver d =
        driver(
            (l, r) ->
                l.join(r)
                    .where(WindowJoinTest::key, Serdes.String())
                    .equalTo(WindowJoinTest::key)
                    .window(EventTimeSessionWindows.withGap(Duration.ofMillis(10)))
                    .apply(new Pair()))) {
      d.pipe("left", "a:1", 1); // [1,11)
      d.pipe("left", "a:2", 21); // [21,31): separate for now
      d.pipe("right", "a:x", 11); // [11,21) touches both: one session [1,31)
      d.pipe("right", "b:y", 9); // b: right only
      advance(d, 100);
      assertThat(d.values("out")).containsExactly("a:1|a:x", "a:2|a:x");
    }
  }

  @Test
  void tumblingCoGroupIsCalledForEveryKeyAndWindowWithARecord() {
    try (Driver d =
        driver(
            (l, r) ->
                l.coGroup(r)
                    .where(WindowJoinTest::key, Serdes.String())
                    .equalTo(WindowJoinTest::key)
                    .window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .apply(new Groups()))) {
      d.pipe("left", "a:1", 1);
      d.pipe("right", "a:x", 2);
      d.pipe("right", "a:y", 8);
      d.pipe("left", "b:1", 15);
      advance(d, 100);
      assertThat(d.values("out")).containsExactly("[a:1]|[a:x, a:y]", "[b:1]|[]");
    }
  }

  @Test
  void allowedLatenessRefiresTheWindowWithBothSidesAndDropsRecordsPastIt() {
    try (Driver d =
        driver(
            (l, r) ->
                l.join(r)
                    .where(WindowJoinTest::key, Serdes.String())
                    .equalTo(WindowJoinTest::key)
                    .window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .allowedLateness(Duration.ofMillis(5))
                    .apply(new Pair()))) {
      d.pipe("left", "a:1", 1);
      d.pipe("right", "a:x", 2);
      advance(d, 12); // watermark 11: [0,10) fires, kept until 9 + 5 = 14
      assertThat(d.values("out")).containsExactly("a:1|a:x");
      d.pipe("right", "a:y", 3); // late but within the lateness: fires again with every pair
      assertThat(d.values("out")).containsExactly("a:1|a:x", "a:1|a:y");
      advance(d, 16); // watermark 15 passes the cleanup time
      d.pipe("left", "a:2", 4); // too late: dropped and counted
      advance(d, 100);
      assertThat(d.values("out")).isEmpty();
      assertThat(d.core.metrics().lateRecordsDropped.sum()).isEqualTo(1);
    }
  }

  @Test
  void aTriggerDecidesWhenTheJoinFires() {
    try (Driver d =
        driver(
            (l, r) ->
                l.join(r)
                    .where(WindowJoinTest::key, Serdes.String())
                    .equalTo(WindowJoinTest::key)
                    .window(GlobalWindows.create())
                    .trigger(CountTrigger.of(3))
                    .apply(new RichPair()))) {
      d.pipe("left", "a:1", 1);
      d.pipe("right", "a:x", 2);
      assertThat(d.values("out")).isEmpty();
      d.pipe("right", "a:y", 3); // the key's third record fires the window
      assertThat(d.values("out")).containsExactly("opened:a:1|a:x", "opened:a:1|a:y");
    }
  }

  @Test
  void anInputWithoutASerdeIsABuildTimeErrorNamingIt() {
    StreamBuilder b = new StreamBuilder();
    DataStream<Integer> lengths = source(b, "left").map(String::length).name("lengths");
    assertThatThrownBy(
            () ->
                lengths
                    .join(source(b, "right"))
                    .where(i -> "k" + i, Serdes.String())
                    .equalTo(WindowJoinTest::key)
                    .window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .apply((i, s) -> i + s))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("first input 'lengths'")
        .hasMessageContaining(".returns(serde)");
  }

  @Test
  void streamsOfDifferentBuildersCannotBeJoined() {
    DataStream<String> one = source(new StreamBuilder(), "left");
    DataStream<String> two = source(new StreamBuilder(), "right");
    assertThatThrownBy(() -> one.coGroup(two))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different StreamBuilders");
  }
}
