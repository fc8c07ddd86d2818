package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessFunction;
import dev.weir.functions.RichMapFunction;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class OperatorsTest {
  private static DataStream<String> lines(StreamBuilder b) {
    return b.fromSource(KafkaSource.topic("in", Serdes.String()), "in");
  }

  @Test
  void mapFilterFlatMapChainKeepsTimestamps() {
    StreamBuilder b = new StreamBuilder();
    lines(b)
        .flatMap(
            (String line, Collector<String> out) -> {
              for (String w : line.split(" ")) {
                out.collect(w);
              }
            })
        .filter(w -> !w.isEmpty() && !w.equals("drop"))
        .map(String::toUpperCase)
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("in", "a drop b", 42L);
      d.pipe("in", "", 43L);
      List<dev.weir.internal.driver.DriverCore.Output> out = d.records("out");
      assertThat(out).extracting(o -> Driver.string(o.value())).containsExactly("A", "B");
      assertThat(out).extracting(o -> o.timestamp()).containsExactly(42L, 42L);
    }
  }

  static final class ParseOrReject extends ProcessFunction<String, Integer> {
    private static final long serialVersionUID = 1L;
    private final OutputTag<String> bad;

    ParseOrReject(OutputTag<String> bad) {
      this.bad = bad;
    }

    @Override
    public void processElement(String v, Context ctx, Collector<Integer> out) {
      try {
        out.collect(Integer.parseInt(v));
      } catch (NumberFormatException e) {
        ctx.output(bad, v + "@" + ctx.timestamp());
      }
    }
  }

  @Test
  void anonymousFunctionCapturingTheTestFailsWithAHint() {
    StreamBuilder b = new StreamBuilder();
    lines(b)
        .process(
            new ProcessFunction<String, String>() {
              private static final long serialVersionUID = 1L;

              @Override
              public void processElement(String v, Context ctx, Collector<String> out) {
                out.collect(v);
              }
            })
        .print();
    assertThatThrownBy(() -> new Driver(b)).hasMessageContaining("static nested");
  }

  @Test
  void processFunctionWritesSideOutputs() {
    OutputTag<String> bad = OutputTag.of("bad", Serdes.String());
    StreamBuilder b = new StreamBuilder();
    SingleOutputStreamOperator<Integer> numbers =
        lines(b).process(new ParseOrReject(bad)).returns(Serdes.Integer());
    numbers.map(i -> Integer.toString(i * 2)).sinkTo(KafkaSink.topic("doubled", Serdes.String()));
    numbers.getSideOutput(bad).sinkTo(KafkaSink.topic("bad", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("in", "21", 1L);
      d.pipe("in", "x", 2L);
      assertThat(d.values("doubled")).containsExactly("42");
      assertThat(d.values("bad")).containsExactly("x@2");
    }
  }

  @Test
  void keyByRoutesThroughTheRepartitionTopicWithTheKey() {
    StreamBuilder b = new StreamBuilder();
    lines(b)
        .keyBy(v -> v.substring(0, 1), Serdes.String())
        .map(v -> v + "!")
        .returns(Serdes.String())
        .sinkTo(
            KafkaSink.topic("out", Serdes.String())
                .withKey(v -> v.substring(0, 1), Serdes.String()));
    try (Driver d = new Driver(b)) {
      assertThat(d.core.plan().subTopologies()).hasSize(2);
      d.pipe("in", "apple", 5L);
      d.pipe("in", "banana", 6L);
      List<dev.weir.internal.driver.DriverCore.Output> out = d.records("out");
      assertThat(out).extracting(o -> Driver.string(o.key())).containsExactly("a", "b");
      assertThat(out)
          .extracting(o -> Driver.string(o.value()))
          .containsExactly("apple!", "banana!");
      assertThat(out).extracting(o -> o.timestamp()).containsExactly(5L, 6L);
    }
  }

  @Test
  void unionMergesStreamsOfOneType() {
    StreamBuilder b = new StreamBuilder();
    DataStream<String> x = b.fromSource(KafkaSource.topic("x", Serdes.String()), "x");
    DataStream<String> y = b.fromSource(KafkaSource.topic("y", Serdes.String()), "y");
    x.union(y).map(v -> "u:" + v).sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("x", "1", 1L);
      d.pipe("y", "2", 2L);
      d.pipe("x", "3", 3L);
      assertThat(d.values("out")).containsExactly("u:1", "u:2", "u:3");
    }
  }

  @Test
  void rebalanceAndPartitionCustomGoThroughRepartitionTopics() {
    StreamBuilder b = new StreamBuilder();
    DataStream<String> in = lines(b);
    in.rebalance().map(v -> "r:" + v).sinkTo(KafkaSink.topic("r", Serdes.String()));
    in.partitionCustom((String k, int n) -> 0, v -> v)
        .map(v -> "c:" + v)
        .sinkTo(KafkaSink.topic("c", Serdes.String()));
    try (Driver d = new Driver(b)) {
      assertThat(d.core.plan().subTopologies()).hasSize(3);
      d.pipe("in", "v", 1L);
      assertThat(d.values("r")).containsExactly("r:v");
      assertThat(d.values("c")).containsExactly("c:v");
    }
  }

  @Test
  void keyValueSourcesAndSinksKeepKeys() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.keyValues("kv", Serdes.String(), Serdes.Long()), "kv")
        .map(kv -> KeyValue.of(kv.key(), kv.value() + 1))
        .sinkTo(KafkaSink.keyValues("out", Serdes.String(), Serdes.Long()));
    try (Driver d = new Driver(b)) {
      d.core.pipe(
          "kv", Driver.bytes("k"), Serdes.Long().serializer().serialize("kv", 41L), 9L, null);
      var o = d.records("out").get(0);
      assertThat(Driver.string(o.key())).isEqualTo("k");
      assertThat(Serdes.Long().deserializer().deserialize("out", o.value())).isEqualTo(42L);
    }
  }

  /** Counts per task: each task must get its own copy, opened with its runtime context. */
  static final class Counting extends RichMapFunction<String, String> {
    private static final long serialVersionUID = 1L;
    static final List<String> EVENTS = new ArrayList<>();
    private int seen;

    @Override
    public void open() {
      EVENTS.add("open " + getRuntimeContext().taskId() + " " + getRuntimeContext().operatorName());
    }

    @Override
    public String map(String v) {
      return v + "#" + (++seen);
    }

    @Override
    public void close() {
      EVENTS.add("close");
    }
  }

  @Test
  void richFunctionsAreCopiedPerTaskAndSeeTheirLifecycle() {
    Counting.EVENTS.clear();
    Counting fn = new Counting();
    StreamBuilder b = new StreamBuilder();
    lines(b).map(fn).name("counter").sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("in", "a", 1L);
      d.pipe("in", "b", 1L);
      assertThat(d.values("out")).containsExactly("a#1", "b#2");
    }
    assertThat(fn.seen).as("the original object is never used").isZero();
    assertThat(Counting.EVENTS).containsExactly("open 0_0 counter", "close");
  }

  @Test
  void keyByWithoutAValueSerdeFailsAtBuildNamingTheOperator() {
    StreamBuilder b = new StreamBuilder();
    lines(b).map(String::length).name("lengths").keyBy(i -> i, Serdes.Integer()).print();
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'lengths'")
        .hasMessageContaining(".returns(serde)");
  }

  @Test
  void describeShowsSubTopologiesAndInternalTopics() {
    StreamBuilder b = new StreamBuilder();
    lines(b)
        .keyBy(v -> v, Serdes.String())
        .map(v -> v)
        .name("upper")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    String text = b.build().describe();
    assertThat(text)
        .contains("Sub-topology 0 reads [in]")
        .contains("writes <application.id>-in-keyBy-repartition")
        .contains("Sub-topology 1 reads [<application.id>-in-keyBy-repartition]")
        .contains("map 'upper'")
        .contains("-> topic out");
  }

  @Test
  void nonSerializableFunctionFailsWithTheFix() {
    Object notSerializable = new Object();
    StreamBuilder b = new StreamBuilder();
    lines(b).map(v -> v + notSerializable.hashCode()).name("bad-capture").print();
    assertThatThrownBy(() -> new Driver(b))
        .hasMessageContaining("'bad-capture'")
        .hasMessageContaining("transient");
  }
}
