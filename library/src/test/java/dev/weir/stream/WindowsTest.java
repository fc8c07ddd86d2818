package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.internal.driver.DriverCore;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.windowing.ContinuousEventTimeTrigger;
import dev.weir.windowing.CountEvictor;
import dev.weir.windowing.CountTrigger;
import dev.weir.windowing.EventTimeSessionWindows;
import dev.weir.windowing.GlobalWindow;
import dev.weir.windowing.GlobalWindows;
import dev.weir.windowing.ProcessAllWindowFunction;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.PurgingTrigger;
import dev.weir.windowing.SlidingEventTimeWindows;
import dev.weir.windowing.TimeEvictor;
import dev.weir.windowing.TimeWindow;
import dev.weir.windowing.TumblingEventTimeWindows;
import dev.weir.windowing.TumblingProcessingTimeWindows;
import dev.weir.windowing.Window;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Windows through the deterministic driver, one test per behaviour of SEMANTICS.md's E rows. */
class WindowsTest {
  private static final OutputTag<String> LATE = OutputTag.of("late", Serdes.String());

  /** Counts records. */
  static final class Count implements AggregateFunction<String, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(String v, Long acc) {
      return acc + 1;
    }

    @Override
    public Long getResult(Long acc) {
      return acc;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  /** Emits "key[start,end)=values" for time windows, "key=values" for global ones. */
  static final class Describe<T, W extends Window>
      extends ProcessWindowFunction<T, String, String, W> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<T> elements, Collector<String> out) {
      List<String> vs = new ArrayList<>();
      elements.forEach(e -> vs.add(String.valueOf(e)));
      String w =
          ctx.window() instanceof TimeWindow t ? "[" + t.getStart() + "," + t.getEnd() + ")" : "";
      out.collect(key + w + "=" + String.join(",", vs));
    }
  }

  private static KeyedStream<String, String> keyed(StreamBuilder b) {
    return b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forMonotonousTimestamps(),
            "in")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String());
  }

  private static Driver driver(
      Function<KeyedStream<String, String>, SingleOutputStreamOperator<String>> pipeline) {
    StreamBuilder b = new StreamBuilder();
    SingleOutputStreamOperator<String> out = pipeline.apply(keyed(b)).uid("w");
    out.sinkTo(KafkaSink.topic("out", Serdes.String()));
    out.getSideOutput(LATE).sinkTo(KafkaSink.topic("late", Serdes.String()));
    return new Driver(b);
  }

  private static List<DriverCore.Output> outputs(Driver d) {
    return d.records("out");
  }

  @Test
  void tumblingEventTimeWindowsEmitFinalResultsAtEndMinusOne() {
    try (Driver d =
        driver(
            k ->
                k.window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .aggregate(new Count(), Serdes.Long(), new Describe<>()))) {
      d.pipe("in", "a:1", 1);
      d.pipe("in", "a:2", 5);
      d.pipe("in", "b:1", 9);
      assertThat(d.values("out")).isEmpty(); // watermark 8: nothing complete
      d.pipe("in", "a:3", 12); // watermark 11 passes [0,10)'s max timestamp 9
      List<DriverCore.Output> out = outputs(d);
      assertThat(out)
          .extracting(o -> Driver.string(o.value()))
          .containsExactly("a[0,10)=2", "b[0,10)=1");
      assertThat(out).extracting(DriverCore.Output::timestamp).containsExactly(9L, 9L);
      // Only a's open window [10,20) is left: its accumulator and its cleanup timer.
      assertThat(d.core.storeEntries("w")).isEqualTo(2);
    }
  }

  @Test
  void countEmitsEachKeyWithItsWindowCountAtTheWindowsMaxTimestamp() {
    try (Driver d =
        driver(
            k ->
                k.window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .count()
                    .map(kv -> kv.key() + "=" + kv.value())
                    .returns(Serdes.String()))) {
      d.pipe("in", "a:1", 1);
      d.pipe("in", "a:2", 5);
      d.pipe("in", "b:1", 9);
      d.pipe("in", "a:3", 12); // watermark 11 passes [0,10)'s max timestamp 9
      d.pipe("in", "z:flush", 100);
      List<DriverCore.Output> out = outputs(d);
      assertThat(out)
          .extracting(o -> Driver.string(o.value()))
          .containsExactly("a=2", "b=1", "a=1");
      assertThat(out).extracting(DriverCore.Output::timestamp).containsExactly(9L, 9L, 19L);
    }
  }

  @Test
  void slidingWindowsPutARecordIntoSizeOverSlideWindows() {
    try (Driver d =
        driver(
            k ->
                k.window(SlidingEventTimeWindows.of(Duration.ofMillis(10), Duration.ofMillis(5)))
                    .process(new Describe<>()))) {
      d.pipe("in", "a:x", 7); // windows [0,10) and [5,15)
      d.pipe("in", "a:y", 12); // windows [5,15) and [10,20)
      d.pipe("in", "z:flush", 100);
      assertThat(d.values("out")).containsExactly("a[0,10)=a:x", "a[5,15)=a:x,a:y", "a[10,20)=a:y");
    }
  }

  @Test
  void sessionsMergeWhenTheyTouchOrARecordBridgesThemAndLeaveNothingBehind() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(100)),
            "in")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .window(EventTimeSessionWindows.withGap(Duration.ofMillis(10)))
        .aggregate(new Count(), Serdes.Long(), new Describe<>())
        .uid("w")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("in", "a:1", 0); // [0,10)
      d.pipe("in", "a:2", 25); // [25,35)
      d.pipe("in", "a:3", 10); // [10,20) touches [0,10): [0,20)
      d.pipe("in", "b:1", 50); // another key's session is not touched
      d.pipe("in", "a:4", 18); // [18,28) bridges [0,20) and [25,35): [0,35)
      d.pipe("in", "z:flush", 1000);
      assertThat(d.values("out")).containsExactly("a[0,35)=4", "b[50,60)=1");
      // z's open session: contents, window list (a header and its batch's marker, which holds the
      // element: design record 039) and cleanup timer. Nothing of a's or b's.
      assertThat(d.core.storeEntries("w")).isEqualTo(4);
    }
  }

  @Test
  void aLateRecordStillJoinsASessionItMergesInto() {
    try (Driver d =
        driver(
            k ->
                k.window(EventTimeSessionWindows.withGap(Duration.ofMillis(10)))
                    .process(new Describe<>()))) {
      d.pipe("in", "a:1", 30); // [30,40); watermark 29
      d.pipe("in", "a:2", 20); // [20,30) alone would be late, but it touches [30,40): [20,40)
      d.pipe("in", "a:3", 5); // [5,15) is late and merges with nothing: dropped
      d.pipe("in", "z:flush", 1000);
      assertThat(d.values("out")).containsExactly("a[20,40)=a:1,a:2");
      assertThat(d.core.metrics().lateRecordsDropped.sum()).isEqualTo(1);
    }
  }

  @Test
  void dynamicGapSessions() {
    try (Driver d =
        driver(
            k ->
                k.window(
                        EventTimeSessionWindows.<String>withDynamicGap(
                            v -> Long.parseLong(v.substring(v.indexOf(':') + 1))))
                    .process(new Describe<>()))) {
      d.pipe("in", "a:50", 0); // [0,50)
      d.pipe("in", "a:5", 40); // [40,45) inside: [0,50)
      d.pipe("in", "a:5", 60); // [60,65): separate
      d.pipe("in", "z:1", 1000);
      assertThat(d.values("out")).containsExactly("a[0,50)=a:50,a:5", "a[60,65)=a:5");
    }
  }

  @Test
  void countTriggerStateMergesWithSessions() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofSeconds(10)),
            "in")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .window(EventTimeSessionWindows.withGap(Duration.ofMillis(100)))
        .trigger(CountTrigger.of(3))
        .process(new Describe<>())
        .uid("w")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("in", "a:1", 0); // [0,100), count 1
      d.pipe("in", "a:2", 150); // [150,250), count 1
      assertThat(d.values("out")).isEmpty();
      d.pipe("in", "a:3", 90); // [90,190) bridges both: counts merge to 2, plus 1: FIRE
      assertThat(d.values("out")).containsExactly("a[0,250)=a:1,a:2,a:3");
    }
  }

  @Test
  void allowedLatenessFiresFirstAndUpdatedResultsThenSideOutputsTooLateRecords() {
    try (Driver d =
        driver(
            k ->
                k.window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .allowedLateness(Duration.ofMillis(20))
                    .sideOutputLateData(LATE)
                    .aggregate(new Count(), Serdes.Long(), new Describe<>()))) {
      d.pipe("in", "a:1", 5);
      d.pipe("in", "a:2", 15); // watermark 14: [0,10) fires its first result
      assertThat(d.values("out")).containsExactly("a[0,10)=1");
      d.pipe("in", "a:late", 6); // within lateness: updates and re-fires
      assertThat(d.values("out")).containsExactly("a[0,10)=2");
      d.pipe("in", "a:3", 40); // watermark 39 passes 9 + 20: state of [0,10) is removed
      d.pipe("in", "a:too-late", 7);
      assertThat(d.values("late")).containsExactly("a:too-late");
      assertThat(d.values("out")).containsExactly("a[10,20)=1");
    }
  }

  @Test
  void triggerStateIsCleanedUpWithItsWindow() {
    try (Driver d =
        driver(
            k ->
                k.window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .trigger(ContinuousEventTimeTrigger.of(Duration.ofMillis(3)))
                    .aggregate(new Count(), Serdes.Long(), new Describe<>()))) {
      d.pipe("in", "a:1", 0);
      d.pipe("in", "a:2", 4); // watermark 3: early firing at 3
      d.pipe("in", "a:3", 7); // watermark 6: early firing at 6
      assertThat(d.values("out")).containsExactly("a[0,10)=2", "a[0,10)=3");
      d.pipe("in", "z:1", 100); // fires [0,10) at 9 and cleans it up
      assertThat(d.values("out")).containsExactly("a[0,10)=3");
      // Only z's window remains: accumulator, trigger fire-time, end timer and fire-time timer.
      assertThat(d.core.storeEntries("w")).isEqualTo(4);
    }
  }

  @Test
  void purgingTriggerReplacesTheDefaultAndFiresAndPurges() {
    try (Driver d =
        driver(
            k ->
                k.window(TumblingEventTimeWindows.of(Duration.ofSeconds(10)))
                    .trigger(PurgingTrigger.of(CountTrigger.of(2)))
                    .process(new Describe<>()))) {
      for (int i = 0; i < 5; i++) {
        d.pipe("in", "a:" + i, i);
      }
      // Count 2 fires and purges; the end of the window never fires the default trigger.
      assertThat(d.values("out")).containsExactly("a[0,10000)=a:0,a:1", "a[0,10000)=a:2,a:3");
    }
  }

  @Test
  void countTriggerWithoutPurgeFiresWithEverythingSoFar() {
    try (Driver d =
        driver(
            k ->
                k.window(GlobalWindows.create())
                    .trigger(CountTrigger.of(2))
                    .process(new Describe<>()))) {
      for (int i = 0; i < 4; i++) {
        d.pipe("in", "a:" + i, i);
      }
      assertThat(d.values("out")).containsExactly("a=a:0,a:1", "a=a:0,a:1,a:2,a:3");
    }
  }

  @Test
  void globalWindowsNeverFireByDefault() {
    try (Driver d =
        driver(
            k -> k.window(GlobalWindows.create()).process(new Describe<String, GlobalWindow>()))) {
      d.pipe("in", "a:1", 0);
      d.pipe("in", "a:2", Long.MAX_VALUE / 2);
      assertThat(d.values("out")).isEmpty();
    }
  }

  @Test
  void countWindowsTumblingAndSliding() {
    try (Driver tumbling = driver(k -> k.countWindow(2).process(new Describe<>()));
        Driver sliding = driver(k -> k.countWindow(3, 1).process(new Describe<>()))) {
      for (int i = 0; i < 4; i++) {
        tumbling.pipe("in", "a:" + i, i);
        sliding.pipe("in", "a:" + i, i);
      }
      assertThat(tumbling.values("out")).containsExactly("a=a:0,a:1", "a=a:2,a:3");
      assertThat(sliding.values("out"))
          .containsExactly("a=a:0", "a=a:0,a:1", "a=a:0,a:1,a:2", "a=a:1,a:2,a:3");
    }
  }

  @Test
  void evictorsRunBeforeOrAfterTheFunction() {
    try (Driver before =
            driver(
                k ->
                    k.window(GlobalWindows.create())
                        .trigger(CountTrigger.of(1))
                        .evictor(CountEvictor.of(2))
                        .process(new Describe<>()));
        Driver after =
            driver(
                k ->
                    k.window(GlobalWindows.create())
                        .trigger(CountTrigger.of(1))
                        .evictor(CountEvictor.of(2, true))
                        .process(new Describe<>()));
        Driver time =
            driver(
                k ->
                    k.window(GlobalWindows.create())
                        .trigger(CountTrigger.of(1))
                        .evictor(TimeEvictor.of(Duration.ofMillis(5)))
                        .process(new Describe<>()))) {
      for (int i = 0; i < 3; i++) {
        before.pipe("in", "a:" + i, i * 3);
        after.pipe("in", "a:" + i, i * 3);
        time.pipe("in", "a:" + i, i * 3);
      }
      assertThat(before.values("out")).containsExactly("a=a:0", "a=a:0,a:1", "a=a:1,a:2");
      // Evicting after the function: the function saw one more record each time.
      assertThat(after.values("out")).containsExactly("a=a:0", "a=a:0,a:1", "a=a:0,a:1,a:2");
      // Keep records within 5 ms of the newest: at t=6, t=0 is out (0 <= 6 - 5).
      assertThat(time.values("out")).containsExactly("a=a:0", "a=a:0,a:1", "a=a:1,a:2");
    }
  }

  @Test
  void anEvictorWithAnIncrementalFunctionIsABuildTimeError() {
    StreamBuilder b = new StreamBuilder();
    WindowedStream<String, String, GlobalWindow> w =
        keyed(b).window(GlobalWindows.create()).evictor(CountEvictor.of(2));
    assertThatThrownBy(() -> w.reduce((x, y) -> x + y))
        .hasMessageContaining("evictor")
        .hasMessageContaining("process");
  }

  /** Counts firings per window in window state, and records per key in global state. */
  static final class Stateful extends ProcessWindowFunction<String, String, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<String> elements, Collector<String> out) {
      ValueState<Long> firings =
          ctx.windowState().getState(new ValueStateDescriptor<>("firings", Serdes.Long(), 0L));
      ValueState<Long> total =
          ctx.globalState().getState(new ValueStateDescriptor<>("total", Serdes.Long(), 0L));
      firings.update(firings.value() + 1);
      long n = 0;
      for (String e : elements) {
        n++;
      }
      total.update(total.value() + n);
      out.collect(
          key
              + "@"
              + ctx.window().getStart()
              + " firing="
              + firings.value()
              + " total="
              + total.value());
    }

    @Override
    public void clear(Context ctx) {
      ctx.windowState().getState(new ValueStateDescriptor<>("firings", Serdes.Long(), 0L)).clear();
    }
  }

  @Test
  void processWindowFunctionHasPerWindowAndPerKeyState() {
    try (Driver d =
        driver(
            k ->
                k.window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
                    .allowedLateness(Duration.ofMillis(100))
                    .process(new Stateful()))) {
      d.pipe("in", "a:1", 1);
      d.pipe("in", "a:2", 12); // fires [0,10): 1 record
      d.pipe("in", "a:3", 2); // late, within lateness: [0,10) fires again with 2 records
      d.pipe("in", "a:4", 25); // fires [10,20)
      assertThat(d.values("out"))
          .containsExactly("a@0 firing=1 total=1", "a@0 firing=2 total=3", "a@10 firing=1 total=4");
    }
  }

  @Test
  void longWindowsHandTheFunctionEveryRecordInOrderAndLeaveNothingBehind() {
    try (Driver d =
        driver(
            k ->
                k.window(TumblingEventTimeWindows.of(Duration.ofSeconds(60)))
                    .process(new Describe<>()))) {
      List<String> a = new ArrayList<>();
      List<String> b = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        String v = (i % 3 == 0 ? "b:" : "a:") + i;
        (i % 3 == 0 ? b : a).add(v);
        d.pipe("in", v, i);
      }
      // A header per list, a cleanup timer per window, and a batch marker per list and commit
      // (the driver commits after each record; design record 032), holding that commit's element
      // (design record 039).
      assertThat(d.core.storeEntries("w")).isEqualTo(2 + 2 + 5_000);
      d.pipe("in", "z:end", 70_000); // fires [0,60000) for a and b and purges them
      assertThat(d.values("out"))
          .containsExactly(
              "a[0,60000)=" + String.join(",", a), "b[0,60000)=" + String.join(",", b));
      // Only z's window is left: its header, its batch's marker (holding its element, design
      // record 039) and its cleanup timer.
      assertThat(d.core.storeEntries("w")).isEqualTo(3);
    }
  }

  @Test
  void anEvictorRemovesOnlyWhatItEvicts() {
    try (Driver d =
        driver(
            k ->
                k.window(GlobalWindows.create())
                    .trigger(CountTrigger.of(1))
                    .evictor(CountEvictor.of(3))
                    .process(new Describe<>()))) {
      for (int i = 0; i < 6; i++) {
        d.pipe("in", "a:" + i, i);
      }
      assertThat(d.values("out"))
          .containsExactly(
              "a=a:0",
              "a=a:0,a:1",
              "a=a:0,a:1,a:2",
              "a=a:1,a:2,a:3",
              "a=a:2,a:3,a:4",
              "a=a:3,a:4,a:5");
      long before = d.core.changelogRecords();
      d.pipe("in", "a:6", 6);
      assertThat(d.values("out")).containsExactly("a=a:4,a:5,a:6");
      // The list logged again (design record 032): the tombstone of its one batch, its header's
      // tombstone and new value, and one batch of a:4, a:5 and a:6.
      assertThat(d.core.changelogRecords() - before).isEqualTo(4);
      // A header and one marker holding the three elements (design record 039).
      assertThat(d.core.storeEntries("w")).isEqualTo(2);
    }
  }

  @Test
  void processingTimeWindowsFollowTheClock() {
    try (Driver d =
        driver(
            k ->
                k.window(TumblingProcessingTimeWindows.of(Duration.ofMillis(100)))
                    .process(new Describe<>()))) {
      d.pipe("in", "a:1", 0);
      d.core.advanceProcessingTime(50);
      d.pipe("in", "a:2", 0);
      d.core.advanceProcessingTime(60);
      assertThat(d.values("out")).containsExactly("a[0,100)=a:1,a:2");
    }
  }

  /** Joins every record of a window, across keys. */
  static final class JoinAll extends ProcessAllWindowFunction<String, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(TimeWindow window, Iterable<String> elements, Collector<String> out) {
      List<String> vs = new ArrayList<>();
      elements.forEach(vs::add);
      out.collect(window.getStart() + ":" + String.join(",", vs));
    }
  }

  @Test
  void windowAllSeesEveryKey() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forMonotonousTimestamps(),
            "in")
        .windowAll(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
        .process(new JoinAll())
        .uid("all")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("in", "x", 1);
      d.pipe("in", "y", 2);
      d.pipe("in", "z", 11);
      assertThat(d.values("out")).containsExactly("0:x,y");
    }
  }

  @Test
  void windowSugarSumMinMax() {
    StreamBuilder b = new StreamBuilder();
    KeyedStream<Long, String> k =
        b.fromSource(
                KafkaSource.topic("in", Serdes.Long()),
                WatermarkStrategy.forMonotonousTimestamps(),
                "in")
            .keyBy(v -> "k", Serdes.String());
    k.window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
        .sum()
        .uid("sum")
        .map(v -> "sum=" + v)
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    k.window(TumblingEventTimeWindows.of(Duration.ofMillis(10)))
        .max()
        .uid("max")
        .map(v -> "max=" + v)
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      for (long v : new long[] {4, 9, 2}) {
        d.core.pipe("in", null, Serdes.Long().serializer().serialize("in", v), v, null);
      }
      d.core.pipe("in", null, Serdes.Long().serializer().serialize("in", 0L), 50, null);
      assertThat(d.values("out")).containsExactlyInAnyOrder("sum=15", "max=9");
    }
  }
}
