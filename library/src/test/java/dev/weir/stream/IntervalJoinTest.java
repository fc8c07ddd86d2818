package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.internal.driver.DriverCore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * The interval join (SEMANTICS F1, decision 10) through the deterministic driver: records {@code
 * "key:value"} on topics {@code left} and {@code right}, event time in the record timestamp
 * (monotonous per input), whole outputs asserted. The join task's watermark is the minimum of both
 * inputs' ({@code maxTimestamp - 1} each).
 */
class IntervalJoinTest {
  private static final OutputTag<String> TIMES = OutputTag.of("times", Serdes.String());
  private static final OutputTag<String> LEFT_LATE = OutputTag.of("left-late", Serdes.String());
  private static final OutputTag<String> RIGHT_LATE = OutputTag.of("right-late", Serdes.String());

  /** {@code "a:1|a:x"} to the main output, {@code "lt,rt"} to {@link #TIMES}. */
  static final class Describe extends ProcessJoinFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String left, String right, Context ctx, Collector<String> out) {
      out.collect(left + "|" + right);
      ctx.output(TIMES, ctx.getLeftTimestamp() + "," + ctx.getRightTimestamp());
    }
  }

  static String key(String v) {
    return v.substring(0, v.indexOf(':'));
  }

  private static KeyedStream<String, String> side(StreamBuilder b, String topic) {
    return side(b, topic, Serdes.String());
  }

  private static KeyedStream<String, String> side(
      StreamBuilder b, String topic, Serde<String> keySerde) {
    return b.fromSource(
            KafkaSource.topic(topic, Serdes.String()),
            WatermarkStrategy.forMonotonousTimestamps(),
            topic)
        .keyBy(IntervalJoinTest::key, keySerde);
  }

  /** A driver joining {@code left} and {@code right} into {@code out}; the join's store is "j". */
  private static Driver driver(
      Duration lower,
      Duration upper,
      UnaryOperator<IntervalJoin.IntervalJoined<String, String, String>> options) {
    StreamBuilder b = new StreamBuilder();
    SingleOutputStreamOperator<String> joined =
        options
            .apply(side(b, "left").intervalJoin(side(b, "right")).between(lower, upper))
            .process(new Describe())
            .uid("j");
    joined.sinkTo(KafkaSink.topic("out", Serdes.String()));
    joined.getSideOutput(TIMES).sinkTo(KafkaSink.topic("times", Serdes.String()));
    joined.getSideOutput(LEFT_LATE).sinkTo(KafkaSink.topic("left-late", Serdes.String()));
    joined.getSideOutput(RIGHT_LATE).sinkTo(KafkaSink.topic("right-late", Serdes.String()));
    return new Driver(b);
  }

  private static Driver driver(long lowerMs, long upperMs) {
    return driver(Duration.ofMillis(lowerMs), Duration.ofMillis(upperMs), j -> j);
  }

  @Test
  void inclusiveBoundsJoinRecordsExactlyAtBothEnds() {
    try (Driver d = driver(-2, 3)) {
      d.pipe("left", "a:1", 10);
      d.pipe("right", "a:7", 7); // 10 - 3: outside
      d.pipe("right", "a:8", 8); // 10 - 2: the lower bound
      d.pipe("right", "a:13", 13); // 10 + 3: the upper bound
      d.pipe("right", "a:14", 14); // outside
      List<DriverCore.Output> out = d.records("out");
      assertThat(out)
          .extracting(o -> Driver.string(o.value()))
          .containsExactly("a:1|a:8", "a:1|a:13");
      // The result's timestamp is the larger of the two, on every output.
      assertThat(out).extracting(DriverCore.Output::timestamp).containsExactly(10L, 13L);
      List<DriverCore.Output> times = d.records("times");
      assertThat(times).extracting(o -> Driver.string(o.value())).containsExactly("10,8", "10,13");
      assertThat(times).extracting(DriverCore.Output::timestamp).containsExactly(10L, 13L);
    }
  }

  @Test
  void exclusiveBoundsLeaveTheEndsOut() {
    try (Driver d =
        driver(
            Duration.ofMillis(-2),
            Duration.ofMillis(3),
            j -> j.lowerBoundExclusive().upperBoundExclusive())) {
      d.pipe("left", "a:1", 10);
      d.pipe("right", "a:8", 8); // the excluded lower bound
      d.pipe("right", "a:9", 9);
      d.pipe("right", "a:12", 12);
      d.pipe("right", "a:13", 13); // the excluded upper bound
      assertThat(d.values("out")).containsExactly("a:1|a:9", "a:1|a:12");
    }
  }

  @Test
  void negativeBoundsJoinRightRecordsBeforeTheLeftOneWhicheverArrivesFirst() {
    try (Driver d = driver(-5, -2)) {
      d.pipe("right", "a:4", 4); // 10 - 6: outside
      d.pipe("right", "a:5", 5); // 10 - 5
      d.pipe("right", "a:8", 8); // 10 - 2
      d.pipe("left", "a:1", 10); // arrives last: finds both in the buffer
      d.pipe("right", "a:9", 9); // 10 - 1: outside
      d.pipe("left", "a:2", 11); // [6, 9]: a:8 and a:9
      assertThat(d.values("out")).containsExactly("a:1|a:5", "a:1|a:8", "a:2|a:8", "a:2|a:9");
    }
  }

  @Test
  void oneLeftRecordJoinsSeveralRightOnesAndUnmatchedRecordsAreNeverEmitted() {
    try (Driver d = driver(0, 5)) {
      d.pipe("left", "a:1", 10);
      d.pipe("left", "b:1", 10); // no right record of b: never emitted
      d.pipe("right", "a:x", 10);
      d.pipe("right", "a:y", 11);
      d.pipe("right", "a:z", 11); // two right records at one timestamp
      d.pipe("right", "c:1", 12); // no left record of c: never emitted
      d.pipe("left", "a:2", 11); // [11, 16]: a:y and a:z, not a:x
      assertThat(d.values("out"))
          .containsExactly("a:1|a:x", "a:1|a:y", "a:1|a:z", "a:2|a:y", "a:2|a:z");
    }
  }

  @Test
  void bufferedRecordsAreGoneOnceTheWatermarkPassesTheirSegment() {
    try (Driver d = driver(-2, 3)) {
      d.pipe("left", "a:1", 10);
      d.pipe("left", "b:1", 11);
      d.pipe("right", "a:x", 12);
      d.pipe("right", "a:y", 12);
      assertThat(d.values("out")).containsExactly("a:1|a:x", "a:1|a:y");
      // Buffered: left a@10, b@11, right a@12 (one entry, two records); no timers (record 018).
      // Each buffer also stores its segment length: 2 entries. And each batch of the changelog
      // (one per segment and commit, record 024; the driver commits after every input) has its
      // marker: 4.
      assertThat(d.core.storeEntries("j")).isEqualTo(2 + 3 + 4);
      // Left records stay until W >= l + 3, right ones until W >= r + 2, and their segment (5 ms,
      // the bounds' span) goes once all of it has: W = 99 passes all.
      d.pipe("left", "y:flush", 100);
      d.pipe("right", "z:flush", 100);
      // What is left is the two flush records, and their batches' markers.
      assertThat(d.core.storeEntries("j")).isEqualTo(2 + 2 + 2);
      d.pipe("left", "y:flush", 200);
      d.pipe("right", "z:flush", 200);
      // The first flush records are gone too; the new ones replace them.
      assertThat(d.core.storeEntries("j")).isEqualTo(2 + 2 + 2);
      assertThat(d.values("out")).isEmpty();
    }
  }

  @Test
  void aSegmentGoesWholeOnceEveryRecordInItHasPassedAndAPassedRecordNeverJoins() {
    try (Driver d = driver(-2, 3)) { // segments of 5 ms: [10, 14], [15, 19], ...
      d.pipe("left", "a:1", 10);
      d.pipe("left", "a:2", 14);
      d.pipe("right", "c:1", 15); // W = min(13, 14) = 13: a:1 has passed (10 + 3 <= 13), a:2 not
      // a:1 stays with its segment (2 entries are the buffers' segment lengths; and one batch
      // marker per segment and commit, record 024).
      assertThat(d.core.storeEntries("j")).isEqualTo(2 + 3 + 3);
      d.pipe("right", "a:x", 14); // [11, 16]: a:2 only; a:1, still stored, is outside
      assertThat(d.core.storeEntries("j")).isEqualTo(2 + 4 + 4);
      d.pipe("left", "a:3", 20);
      d.pipe("right", "c:2", 21); // W = 19: left [10, 14] (16 >= 14) and right [10, 14] go
      // c:1 at 15, a:3 at 20, c:2 at 21, and their markers
      assertThat(d.core.storeEntries("j")).isEqualTo(2 + 3 + 3);
      assertThat(d.values("out")).containsExactly("a:2|a:x");
    }
  }

  @Test
  void theLowestLowerBoundKeepsRightRecordsForAsLongAsTheyCanJoin() {
    // lower = Long.MIN_VALUE: a right record can join any later left record. Its cleanup time used
    // to be r + MIN_VALUE (the negated bound wrapped around), which had passed as soon as there was
    // a watermark, so it was never buffered.
    try (Driver d =
        driver(Duration.ofMillis(Long.MIN_VALUE), Duration.ZERO, UnaryOperator.identity())) {
      d.pipe("left", "b:1", 20);
      d.pipe("right", "c:1", 3); // W = min(19, 2) = 2
      d.pipe("right", "a:r", 5); // W = 4
      d.pipe("left", "a:1", 10); // joins right records at [10 + MIN, 10]: a:r
      d.pipe("right", "a:s", 30); // joins left records at [30, MAX]: a:1 at 10 is below
      assertThat(d.values("out")).containsExactly("a:1|a:r");
    }
  }

  @Test
  void lateRecordsGoToTheirSidesLateOutputAndNeverJoin() {
    try (Driver d =
        driver(
            Duration.ofMillis(-5),
            Duration.ofMillis(5),
            j -> j.sideOutputLeftLateData(LEFT_LATE).sideOutputRightLateData(RIGHT_LATE))) {
      d.pipe("left", "a:1", 10);
      d.pipe("right", "a:x", 20); // watermark min(9, 19) = 9
      d.pipe("left", "a:2", 9); // at the watermark: late
      d.pipe("right", "a:y", 8); // late: a:1 at 10 would have matched, it must not join
      d.pipe("left", "a:3", 15); // on time: joins a:x
      List<DriverCore.Output> late = d.records("left-late");
      assertThat(late).extracting(o -> Driver.string(o.value())).containsExactly("a:2");
      assertThat(late).extracting(DriverCore.Output::timestamp).containsExactly(9L);
      assertThat(d.values("right-late")).containsExactly("a:y");
      assertThat(d.values("out")).containsExactly("a:3|a:x");
      assertThat(d.core.metrics().lateRecordsDropped.sum()).isZero();
    }
  }

  @Test
  void lateRecordsWithoutASideOutputAreCountedAsDropped() {
    try (Driver d = driver(-5, 5)) {
      d.pipe("left", "a:1", 10);
      d.pipe("right", "a:x", 20);
      d.pipe("right", "a:y", 8);
      d.pipe("left", "a:2", 3);
      assertThat(d.values("out")).isEmpty();
      assertThat(d.core.metrics().lateRecordsDropped.sum()).isEqualTo(2);
    }
  }

  @Test
  void aSubTopologyComesAfterEveryUpstreamItReadsWhateverOrderTheInputsWereBuiltIn() {
    StreamBuilder b = new StreamBuilder();
    // left's keyBy is created before right's source: numbering by first node alone would put the
    // join's sub-topology (which starts with that keyBy) before right's source sub-topology.
    KeyedStream<String, String> left = side(b, "left");
    KeyedStream<String, String> right = side(b, "right");
    left.intervalJoin(right)
        .between(Duration.ZERO, Duration.ofMillis(1))
        .process(new Describe())
        .uid("j")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    String d = b.build().describe();
    assertThat(d.indexOf("Sub-topology 0 reads [left]")).isNotNegative();
    assertThat(d.indexOf("Sub-topology 1 reads [right]")).isNotNegative();
    assertThat(d.indexOf("Sub-topology 2 reads")).isNotNegative();
  }

  @Test
  void boundsThatLeaveNoRoomAreRejectedWhenTheJoinIsBuilt() {
    StreamBuilder b = new StreamBuilder();
    IntervalJoin<String, String, String> join = side(b, "left").intervalJoin(side(b, "right"));
    assertThatThrownBy(() -> join.between(Duration.ofMillis(3), Duration.ofMillis(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lower bound PT0.003S is above upper bound PT0.002S");
    IntervalJoin.IntervalJoined<String, String, String> empty =
        join.between(Duration.ZERO, Duration.ofMillis(1))
            .lowerBoundExclusive()
            .upperBoundExclusive();
    assertThatThrownBy(() -> empty.process(new Describe()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no timestamp difference lies between 0 ms and 1 ms");
  }

  @Test
  void keySerdesOfDifferentClassesAreABuildTimeErrorNamingBothInputs() {
    Serde<String> utf16 =
        Serdes.serdeFrom(
            (topic, s) -> s.getBytes(StandardCharsets.UTF_16),
            (topic, bytes) -> new String(bytes, StandardCharsets.UTF_16));
    StreamBuilder b = new StreamBuilder();
    side(b, "left")
        .intervalJoin(side(b, "right", utf16))
        .between(Duration.ZERO, Duration.ofMillis(1))
        .process(new Describe())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'left'")
        .hasMessageContaining("'right'");
  }
}
