package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.CoFlatMapFunction;
import dev.weir.functions.CoMapFunction;
import dev.weir.functions.CoProcessFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedCoProcessFunction;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessFunction;
import dev.weir.functions.RichCoFlatMapFunction;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Connected streams: co-map, co-flatMap, co-process and keyed co-process through the driver. */
class ConnectedStreamsTest {

  private static DataStream<String> source(StreamBuilder b, String topic) {
    return b.fromSource(
        KafkaSource.topic(topic, Serdes.String()),
        WatermarkStrategy.<String>forMonotonousTimestamps(),
        topic);
  }

  private static DataStream<String> idleAfterOneSecond(StreamBuilder b, String topic) {
    return b.fromSource(
        KafkaSource.topic(topic, Serdes.String()),
        WatermarkStrategy.<String>forMonotonousTimestamps().withIdleness(Duration.ofSeconds(1)),
        topic);
  }

  private static String key(String v) {
    return v.substring(0, v.indexOf(':'));
  }

  static final class Doubler implements CoMapFunction<Integer, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String map1(Integer n) {
      return "n=" + (n * 2);
    }

    @Override
    public String map2(String w) {
      return "w=" + w.toUpperCase();
    }
  }

  static final class Splitter implements CoFlatMapFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap1(String v, Collector<String> out) {
      for (String p : v.split(",")) {
        out.collect("L" + p);
      }
    }

    @Override
    public void flatMap2(String v, Collector<String> out) {}
  }

  static final class Tagger extends CoProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<String> rejected;

    Tagger(OutputTag<String> rejected) {
      this.rejected = rejected;
    }

    @Override
    public void processElement1(String v, ProcessFunction.Context ctx, Collector<String> out) {
      out.collect("1:" + v + " ts=" + ctx.timestamp() + " wm=" + ctx.currentWatermark());
    }

    @Override
    public void processElement2(String v, ProcessFunction.Context ctx, Collector<String> out) {
      if (v.startsWith("bad")) {
        ctx.output(rejected, v);
      } else {
        out.collect("2:" + v + " ts=" + ctx.timestamp() + " wm=" + ctx.currentWatermark());
      }
    }
  }

  @Test
  void coMapCallsTheMethodOfTheRecordsInput() {
    StreamBuilder b = new StreamBuilder();
    DataStream<Integer> numbers =
        b.fromSource(KafkaSource.topic("numbers", Serdes.Integer()), "numbers");
    numbers
        .connect(source(b, "words"))
        .map(new Doubler())
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.core.pipe("numbers", null, Serdes.Integer().serializer().serialize("n", 21), 5, null);
      d.pipe("words", "abc", 6);
      d.core.pipe("numbers", null, Serdes.Integer().serializer().serialize("n", 4), 7, null);
      List<String> out = new ArrayList<>();
      for (DriverCore0 r : DriverCore0.of(d.records("out"))) {
        out.add(r.value() + "@" + r.timestamp());
      }
      assertThat(out).containsExactly("n=42@5", "w=ABC@6", "n=8@7");
    }
  }

  /** A record of the driver's output as text, for exact comparisons. */
  private record DriverCore0(String value, long timestamp) {
    static List<DriverCore0> of(List<dev.weir.internal.driver.DriverCore.Output> records) {
      List<DriverCore0> out = new ArrayList<>();
      records.forEach(r -> out.add(new DriverCore0(Driver.string(r.value()), r.timestamp())));
      return out;
    }
  }

  @Test
  void coFlatMapEmitsAnyNumberOfRecordsPerInputAndARichOneHasKeyedState() {
    StreamBuilder b = new StreamBuilder();
    // Control records "key:on"/"key:off" switch forwarding of the data records of their key.
    source(b, "data")
        .keyBy(ConnectedStreamsTest::key, Serdes.String())
        .connect(source(b, "control").keyBy(ConnectedStreamsTest::key, Serdes.String()))
        .flatMap(new Switch())
        .uid("switch")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("data", "a:1", 1);
      d.pipe("control", "a:on", 2);
      d.pipe("data", "a:2", 3);
      d.pipe("data", "b:3", 4);
      d.pipe("control", "b:on", 5);
      d.pipe("data", "b:4", 6);
      d.pipe("control", "a:off", 7);
      d.pipe("data", "a:5", 8);
      assertThat(d.values("out"))
          .containsExactly(
              "switch a on", "a:2", "a:2 again", "switch b on", "b:4", "b:4 again", "switch a off");
    }
  }

  static final class Switch extends RichCoFlatMapFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Boolean> on;

    @Override
    public void open() {
      on = getRuntimeContext().getState(new ValueStateDescriptor<>("on", Serdes.Boolean(), false));
    }

    @Override
    public void flatMap1(String value, Collector<String> out) throws Exception {
      if (on.value()) {
        out.collect(value);
        out.collect(value + " again");
      }
    }

    @Override
    public void flatMap2(String control, Collector<String> out) throws Exception {
      boolean enable = control.endsWith(":on");
      on.update(enable);
      out.collect("switch " + key(control) + (enable ? " on" : " off"));
    }
  }

  @Test
  void coFlatMapWithoutStateNeedsNoKey() {
    StreamBuilder b = new StreamBuilder();
    source(b, "left")
        .connect(source(b, "right"))
        .flatMap(new Splitter())
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("left", "1,2,3", 1);
      d.pipe("right", "dropped", 2);
      d.pipe("left", "4", 3);
      assertThat(d.values("out")).containsExactly("L1", "L2", "L3", "L4");
    }
  }

  @Test
  void coProcessSeesTimestampWatermarkAndSideOutputs() {
    OutputTag<String> rejected = OutputTag.of("rejected", Serdes.String());
    StreamBuilder b = new StreamBuilder();
    SingleOutputStreamOperator<String> out =
        source(b, "left")
            .connect(source(b, "right"))
            .process(new Tagger(rejected))
            .returns(Serdes.String());
    out.sinkTo(KafkaSink.topic("out", Serdes.String()));
    out.getSideOutput(rejected).sinkTo(KafkaSink.topic("rejected", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("left", "a", 100);
      d.pipe("right", "b", 50);
      d.pipe("right", "bad", 60);
      d.pipe("left", "c", 200);
      d.pipe("right", "d", 300);
      // The watermark is the minimum of both inputs' (each the input's maximum - 1).
      assertThat(d.values("out"))
          .containsExactly(
              "1:a ts=100 wm=" + Long.MIN_VALUE,
              "2:b ts=50 wm=" + Long.MIN_VALUE,
              "1:c ts=200 wm=59",
              "2:d ts=300 wm=59");
      assertThat(d.values("rejected")).containsExactly("bad");
    }
  }

  /**
   * Orders ("user:item") waiting for their user ("user:name"): an order of a known user is enriched
   * at once; one of an unknown user waits in state with an event-time timer 100 ms after it, and is
   * emitted as unmatched when the timer fires. A user's name expires by a processing-time timer one
   * second after it arrived. Both inputs register timers of the same key.
   */
  static final class Enrich extends KeyedCoProcessFunction<String, String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<String> name;
    private transient ListState<String> waiting;

    @Override
    public void open() {
      name = getRuntimeContext().getState(new ValueStateDescriptor<>("name", Serdes.String()));
      waiting =
          getRuntimeContext().getListState(new ListStateDescriptor<>("waiting", Serdes.String()));
    }

    @Override
    public void processElement1(String order, Context ctx, Collector<String> out) throws Exception {
      String item = order.substring(order.indexOf(':') + 1);
      String n = name.value();
      if (n != null) {
        out.collect(item + " for " + n);
        return;
      }
      waiting.add(item);
      ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 100);
    }

    @Override
    public void processElement2(String user, Context ctx, Collector<String> out) throws Exception {
      String n = user.substring(user.indexOf(':') + 1);
      name.update(n);
      for (String item : waiting.get()) {
        out.collect(item + " for " + n + " (waited)");
      }
      waiting.clear();
      ctx.timerService().registerProcessingTimeTimer(ctx.currentProcessingTime() + 1000);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<String> out) throws Exception {
      if (ctx.timeDomain() == dev.weir.eventtime.TimeDomain.EVENT_TIME) {
        for (String item : waiting.get()) {
          out.collect(item + " unmatched for " + ctx.getCurrentKey() + " @" + time);
        }
        waiting.clear();
      } else {
        out.collect(ctx.getCurrentKey() + " expired @" + time);
        name.clear();
      }
    }
  }

  private static StreamBuilder enrichment() {
    StreamBuilder b = new StreamBuilder();
    source(b, "orders")
        .keyBy(ConnectedStreamsTest::key, Serdes.String())
        .connect(idleAfterOneSecond(b, "users").keyBy(ConnectedStreamsTest::key, Serdes.String()))
        .process(new Enrich())
        .uid("enrich")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return b;
  }

  @Test
  void keyedCoProcessSharesStateAndTimersAcrossInputs() {
    try (Driver d = new Driver(enrichment())) {
      d.pipe("orders", "u1:book", 100); // unknown user: waits, event timer at 200
      d.pipe("users", "u1:Ann", 150); // flushes the waiting order; processing timer at 1000
      d.pipe("orders", "u1:pen", 160); // known: enriched at once
      d.pipe("orders", "u2:cup", 170); // waits, event timer at 270
      d.pipe("users", "u3:Bob", 400); // users' watermark 399
      d.pipe("orders", "u9:x", 500); // orders' watermark 499: the task's is 399
      assertThat(d.values("out"))
          .containsExactly("book for Ann (waited)", "pen for Ann", "cup unmatched for u2 @270");
      // Processing time passes: both users' names expire; the quiet users input becomes idle, so
      // the orders input alone moves the watermark on.
      d.core.advanceProcessingTime(2000);
      assertThat(d.values("out")).containsExactly("u1 expired @1000", "u3 expired @1000");
      d.pipe("orders", "u1:hat", 700);
      assertThat(d.values("out")).containsExactly("x unmatched for u9 @600");
    }
  }

  @Test
  void keyedCoProcessOnAnUnkeyedInputIsRefusedNamingIt() {
    StreamBuilder b = new StreamBuilder();
    DataStream<String> plain = source(b, "users");
    assertThatThrownBy(
            () ->
                source(b, "orders")
                    .keyBy(ConnectedStreamsTest::key, Serdes.String())
                    .connect(plain)
                    .process(new Enrich()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "process(KeyedCoProcessFunction) needs two keyed streams, but the second input"
                + " 'users' is not keyed: keyBy(...) both inputs with the same key type, call"
                + " connect(...).keyBy(key1, key2, keySerde), or use process(CoProcessFunction).");
  }

  @Test
  void mismatchedKeySerdesAreRefusedAtBuildNamingBothInputs() {
    StreamBuilder b = new StreamBuilder();
    @SuppressWarnings({"unchecked", "rawtypes"})
    KeyedStream<String, String> longKeyed =
        (KeyedStream) source(b, "users").keyBy(v -> 1L, Serdes.Long());
    source(b, "orders")
        .keyBy(ConnectedStreamsTest::key, Serdes.String())
        .connect(longKeyed)
        .process(new Enrich())
        .uid("enrich")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    assertThatThrownBy(() -> new Driver(b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Operator 'enrich' connects 'orders' (keyBy 'keyBy-3') keyed with"
                + " org.apache.kafka.common.serialization.StringSerializer and 'users' (keyBy"
                + " 'keyBy-1') keyed with org.apache.kafka.common.serialization.LongSerializer:"
                + " both inputs must have the same key type and key serde, or equal keys would"
                + " reach different tasks. keyBy(...) both inputs with the same key type and"
                + " serde.");
  }

  @Test
  void keyedInputsWithDifferentPartitionCountsAreRefusedAtBuild() {
    StreamBuilder b = new StreamBuilder();
    source(b, "orders")
        .keyBy(
            ConnectedStreamsTest::key,
            Serdes.String(),
            Repartition.<String>auto().withPartitions(4))
        .connect(
            source(b, "users")
                .keyBy(
                    ConnectedStreamsTest::key,
                    Serdes.String(),
                    Repartition.<String>auto().withPartitions(8)))
        .process(new Enrich())
        .uid("enrich")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    assertThatThrownBy(() -> new Driver(b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Operator 'enrich' connects 'orders' (keyBy 'keyBy-1') with 4 partitions and 'users'"
                + " (keyBy 'keyBy-3') with 8 partitions: keyed inputs must be co-partitioned, or"
                + " equal keys would reach different tasks. Give both keyBy(...) the same"
                + " Repartition.withPartitions(n).");
  }
}
