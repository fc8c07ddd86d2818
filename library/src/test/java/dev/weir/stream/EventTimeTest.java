package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessFunction;
import dev.weir.internal.driver.DriverCore;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Watermarks, timers and late data through the deterministic driver. */
class EventTimeTest {

  /**
   * "key:command:time" records: "e" registers an event-time timer, "p" a processing-time timer,
   * "de"/"dp" delete them. Each firing emits "key:domain:time".
   */
  static final class Timers extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {
      String[] p = v.split(":");
      long t = Long.parseLong(p[2]);
      switch (p[1]) {
        case "e" -> ctx.timerService().registerEventTimeTimer(t);
        case "p" -> ctx.timerService().registerProcessingTimeTimer(t);
        case "de" -> ctx.timerService().deleteEventTimeTimer(t);
        case "dp" -> ctx.timerService().deleteProcessingTimeTimer(t);
        default -> out.collect("wm=" + ctx.currentWatermark());
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
      String d = ctx.timeDomain() == TimeDomain.EVENT_TIME ? "event" : "proc";
      out.collect(ctx.getCurrentKey() + ":" + d + ":" + timestamp + "@" + ctx.timestamp());
    }
  }

  private static Driver timers(WatermarkStrategy<String> strategy) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), strategy, "in")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .process(new Timers())
        .uid("timers")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return new Driver(b);
  }

  @Test
  void eventTimeTimersFireWhenTheWatermarkPassesThemInTimeOrder() {
    try (Driver d = timers(WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(100)))) {
      d.pipe("in", "a:e:1500", 1000);
      d.pipe("in", "b:e:1200", 1000);
      d.pipe("in", "a:e:1200", 1000);
      assertThat(d.values("out")).isEmpty();
      d.pipe("in", "c:x:0", 1300); // watermark 1300 - 100 - 1 = 1199
      // The watermark before this record: 1000 - 100 - 1.
      assertThat(d.values("out")).containsExactly("wm=899");
      d.pipe("in", "c:x:0", 1301); // watermark 1200
      // Timers fire in time order; keys of equal times in key order; output at the timer's time.
      assertThat(d.values("out"))
          .containsExactly("wm=1199", "a:event:1200@1200", "b:event:1200@1200");
      d.pipe("in", "c:x:0", 5000);
      assertThat(d.values("out")).containsExactly("wm=1200", "a:event:1500@1500");
    }
  }

  @Test
  void oneTimerPerKeyTimeAndDomainAndDeletedTimersDoNotFire() {
    try (Driver d = timers(WatermarkStrategy.forMonotonousTimestamps())) {
      d.pipe("in", "a:e:100", 10);
      d.pipe("in", "a:e:100", 10);
      d.pipe("in", "a:e:200", 10);
      d.pipe("in", "a:de:200", 10);
      d.pipe("in", "c:x:0", 1000);
      assertThat(d.values("out")).containsExactly("wm=9", "a:event:100@100");
    }
  }

  @Test
  void aTimerAtOrBelowTheWatermarkFiresRightAfterTheRecord() {
    try (Driver d = timers(WatermarkStrategy.forMonotonousTimestamps())) {
      d.pipe("in", "c:x:0", 1000);
      d.values("out");
      d.pipe("in", "a:e:50", 1000);
      assertThat(d.values("out")).containsExactly("a:event:50@50");
    }
  }

  @Test
  void processingTimeTimersFollowTheClock() {
    try (Driver d = timers(WatermarkStrategy.noWatermarks())) {
      d.pipe("in", "a:p:500", 0);
      d.pipe("in", "b:p:300", 0);
      d.pipe("in", "b:p:400", 0);
      d.pipe("in", "b:dp:400", 0);
      d.core.advanceProcessingTime(350);
      assertThat(d.values("out")).containsExactly("b:proc:300@300");
      d.core.advanceProcessingTime(1000);
      assertThat(d.values("out")).containsExactly("a:proc:500@500");
    }
  }

  @Test
  void withoutWatermarksEventTimersNeverFire() {
    try (Driver d = timers(WatermarkStrategy.noWatermarks())) {
      d.pipe("in", "a:e:1", 0);
      d.pipe("in", "c:x:0", Long.MAX_VALUE / 2);
      assertThat(d.values("out")).containsExactly("wm=" + Long.MIN_VALUE);
    }
  }

  @Test
  void timestampAssignerSetsEventTime() {
    WatermarkStrategy<String> fromValue =
        WatermarkStrategy.<String>forMonotonousTimestamps()
            .withTimestampAssigner((v, kafkaTs) -> Long.parseLong(v.split(":")[2]));
    try (Driver d = timers(fromValue)) {
      d.pipe("in", "a:e:100", 0); // the assigner says 100: watermark 99
      d.pipe("in", "b:x:101", 0);
      assertThat(d.values("out")).containsExactly("wm=99", "a:event:100@100");
    }
  }

  /** Routes records at or below the watermark to a side output. */
  static final class LateSplitter extends ProcessFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<String> late;

    LateSplitter(OutputTag<String> late) {
      this.late = late;
    }

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {
      if (ctx.timestamp() <= ctx.currentWatermark()) {
        ctx.output(late, v);
      } else {
        out.collect(v);
      }
    }
  }

  @Test
  void lateRecordsCanBeRoutedToASideOutput() {
    OutputTag<String> late = OutputTag.of("late", Serdes.String());
    StreamBuilder b = new StreamBuilder();
    SingleOutputStreamOperator<String> onTime =
        b.fromSource(
                KafkaSource.topic("in", Serdes.String()),
                WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(10)),
                "in")
            .process(new LateSplitter(late));
    onTime.sinkTo(KafkaSink.topic("on-time", Serdes.String()));
    onTime.getSideOutput(late).sinkTo(KafkaSink.topic("late", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("in", "a", 100); // watermark becomes 89 after this record
      d.pipe("in", "b", 95); // on time: 95 > 89
      d.pipe("in", "c", 89); // late: at the watermark (decision 1: <= is late)
      d.pipe("in", "d", 200);
      assertThat(d.values("on-time")).containsExactly("a", "b", "d");
      assertThat(d.values("late")).containsExactly("c");
    }
  }

  @Test
  void anIdleInputStopsHoldingTheWatermarkBackOnlyWithIdleness() {
    for (boolean idleness : new boolean[] {false, true}) {
      WatermarkStrategy<String> s = WatermarkStrategy.forMonotonousTimestamps();
      if (idleness) {
        s = s.withIdleness(Duration.ofSeconds(1));
      }
      StreamBuilder b = new StreamBuilder();
      DataStream<String> busy = b.fromSource(KafkaSource.topic("busy", Serdes.String()), s, "busy");
      DataStream<String> empty =
          b.fromSource(KafkaSource.topic("empty", Serdes.String()), s, "empty");
      busy.union(empty)
          .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
          .process(new Timers())
          .uid("timers")
          .sinkTo(KafkaSink.topic("out", Serdes.String()));
      try (Driver d = new Driver(b)) {
        d.pipe("busy", "a:e:100", 50);
        d.pipe("busy", "c:x:0", 500);
        d.core.advanceProcessingTime(2000);
        d.pipe("busy", "c:x:0", 600);
        List<String> out = d.values("out");
        if (idleness) {
          assertThat(out).contains("a:event:100@100");
        } else {
          assertThat(out).noneMatch(v -> v.contains("event"));
        }
      }
    }
  }

  @Test
  void markersNeverReachUserFunctions() {
    try (Driver d = timers(WatermarkStrategy.forMonotonousTimestamps())) {
      for (int i = 0; i < 20; i++) {
        d.pipe("in", "k" + i + ":x:0", i * 100L);
      }
      // Every output is a "wm=" line of a real record: no marker was deserialised as a record.
      assertThat(d.values("out")).hasSize(20).allMatch(v -> v.startsWith("wm="));
    }
  }

  @Test
  void twoApplicationsChainedThroughATopicShareEventTimeThroughMarkers() {
    StreamBuilder first = new StreamBuilder();
    first
        .fromSource(
            KafkaSource.topic("in", Serdes.String()),
            WatermarkStrategy.forMonotonousTimestamps(),
            "in")
        .map(String::trim)
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("mid", Serdes.String()).withWatermarkMarkers());
    StreamBuilder second = new StreamBuilder();
    second
        .fromSource(KafkaSource.topic("mid", Serdes.String()).withWatermarkMarkers(1), "mid")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .process(new Timers())
        .uid("timers")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver upstream = new Driver(first);
        Driver downstream = new Driver(second)) {
      upstream.pipe("in", "a:e:100", 50);
      upstream.pipe("in", "b:x:0", 200); // upstream watermark 199
      List<DriverCore.Output> mid = upstream.records("mid");
      assertThat(mid)
          .anyMatch(o -> o.headers() != null && o.headers().lastHeader("weir.wm") != null);
      for (DriverCore.Output o : mid) {
        downstream.core.pipe("mid", o.key(), o.value(), o.timestamp(), o.headers());
      }
      // The downstream application has no generator: its timer fired on the upstream's watermark.
      assertThat(downstream.values("out")).contains("a:event:100@100");
    }
  }
}
