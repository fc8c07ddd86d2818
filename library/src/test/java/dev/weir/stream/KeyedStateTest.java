package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.functions.RichMapFunction;
import dev.weir.state.AggregatingState;
import dev.weir.state.AggregatingStateDescriptor;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import dev.weir.state.StateDescriptor;
import dev.weir.state.StateTtlConfig;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Keyed state primitives, TTL and rolling aggregations through the deterministic driver. */
class KeyedStateTest {

  /**
   * Interprets "key:command[:argument]" records against every kind of state, emitting what it
   * reads, so each test is a script of inputs and expected outputs.
   */
  static final class Script extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final String ttl;
    private transient ValueState<Long> value;
    private transient ListState<String> list;
    private transient MapState<String, Long> map;
    private transient ReducingState<Long> sum;
    private transient AggregatingState<Long, String> avg;
    private transient ListState<String> perTask;

    Script(String ttl) {
      this.ttl = ttl;
    }

    private <D extends StateDescriptor<?>> D withTtl(D d) {
      StateTtlConfig.Builder b = StateTtlConfig.newBuilder(Duration.ofSeconds(1));
      switch (ttl) {
        case "none" -> {
          return d;
        }
        case "read" -> b.setUpdateType(StateTtlConfig.UpdateType.ON_READ_AND_WRITE);
        case "visible" ->
            b.setStateVisibility(StateTtlConfig.StateVisibility.RETURN_EXPIRED_IF_NOT_CLEANED_UP);
        default -> {}
      }
      d.enableTimeToLive(b.build());
      return d;
    }

    @Override
    public void open() {
      var ctx = getRuntimeContext();
      value = ctx.getState(withTtl(new ValueStateDescriptor<>("value", Serdes.Long(), 0L)));
      list = ctx.getListState(withTtl(new ListStateDescriptor<>("list", Serdes.String())));
      map =
          ctx.getMapState(withTtl(new MapStateDescriptor<>("map", Serdes.String(), Serdes.Long())));
      sum = ctx.getReducingState(new ReducingStateDescriptor<>("sum", Long::sum, Serdes.Long()));
      avg =
          ctx.getAggregatingState(
              new AggregatingStateDescriptor<>("avg", new Avg(), Serdes.String()));
      perTask = ctx.getOperatorListState(new ListStateDescriptor<>("seen", Serdes.String()));
    }

    @Override
    public void processElement(String in, Context ctx, Collector<String> out) {
      String[] p = in.split(":", 3);
      String arg = p.length > 2 ? p[2] : "";
      String r =
          switch (p[1]) {
            case "v+" -> {
              value.update(value.value() + 1);
              yield String.valueOf(value.value());
            }
            case "vget" -> String.valueOf(value.value());
            case "vclear" -> {
              value.clear();
              yield "cleared";
            }
            case "ladd" -> {
              list.add(arg);
              yield null;
            }
            case "laddAll" -> {
              list.addAll(Arrays.asList(arg.split(",")));
              yield null;
            }
            case "lupd" -> {
              list.update(arg.isEmpty() ? List.of() : Arrays.asList(arg.split(",")));
              yield null;
            }
            case "lget" -> list.get().toString();
            case "lclear" -> {
              list.clear();
              yield null;
            }
            case "mput" -> {
              String[] kv = arg.split("=");
              map.put(kv[0], Long.parseLong(kv[1]));
              yield null;
            }
            case "mget" -> String.valueOf(map.get(arg));
            case "mhas" -> String.valueOf(map.contains(arg));
            case "mrem" -> {
              map.remove(arg);
              yield null;
            }
            case "mall" -> map.entries().toString();
            case "mempty" -> String.valueOf(map.isEmpty());
            case "mclear" -> {
              map.clear();
              yield null;
            }
            case "radd" -> {
              sum.add(Long.parseLong(arg));
              yield String.valueOf(sum.get());
            }
            case "rclear" -> {
              sum.clear();
              yield String.valueOf(sum.get());
            }
            case "aadd" -> {
              avg.add(Long.parseLong(arg));
              yield avg.get();
            }
            case "oadd" -> {
              perTask.add(ctx.getCurrentKey() + arg);
              yield perTask.get().toString();
            }
            default -> throw new IllegalArgumentException(p[1]);
          };
      if (r != null) {
        out.collect(ctx.getCurrentKey() + ":" + r);
      }
    }
  }

  /** Average as "sum/count" strings: an accumulator with a serde and a result type. */
  static final class Avg implements AggregateFunction<Long, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String createAccumulator() {
      return "0/0";
    }

    @Override
    public String add(Long v, String acc) {
      String[] p = acc.split("/");
      return (Long.parseLong(p[0]) + v) + "/" + (Long.parseLong(p[1]) + 1);
    }

    @Override
    public String getResult(String acc) {
      String[] p = acc.split("/");
      return String.valueOf(Long.parseLong(p[0]) / Long.parseLong(p[1]));
    }

    @Override
    public String merge(String a, String b) {
      throw new UnsupportedOperationException();
    }
  }

  private static Driver script(String ttl) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .process(new Script(ttl))
        .uid("script")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return new Driver(b);
  }

  private static List<String> run(Driver d, String... inputs) {
    for (String in : inputs) {
      d.pipe("in", in, 0L);
    }
    return d.values("out");
  }

  @Test
  void valueStateIsPerKeyWithDefaultAndClear() {
    try (Driver d = script("none")) {
      assertThat(run(d, "a:v+", "a:v+", "b:v+", "a:vget", "a:vclear", "a:vget", "b:vget"))
          .containsExactly("a:1", "a:2", "b:1", "a:2", "a:cleared", "a:0", "b:1");
    }
  }

  @Test
  void listStateAddsUpdatesAndClears() {
    try (Driver d = script("none")) {
      assertThat(
              run(
                  d,
                  "a:ladd:x",
                  "a:laddAll:y,z",
                  "b:ladd:q",
                  "a:lget",
                  "b:lget",
                  "a:lupd:n",
                  "a:lget",
                  "a:lupd:",
                  "a:lget",
                  "b:lclear",
                  "b:lget"))
          .containsExactly("a:[x, y, z]", "b:[q]", "a:[n]", "a:[]", "b:[]");
    }
  }

  @Test
  void mapStateEntriesArePerKeyAndDoNotLeakIntoLongerKeys() {
    try (Driver d = script("none")) {
      // "a" is a prefix of "ab": a prefix scan for a's entries must not see ab's.
      assertThat(
              run(
                  d,
                  "a:mput:x=1",
                  "a:mput:y=2",
                  "ab:mput:x=9",
                  "a:mget:x",
                  "a:mhas:y",
                  "a:mall",
                  "a:mrem:x",
                  "a:mall",
                  "a:mhas:x",
                  "ab:mall",
                  "a:mclear",
                  "a:mempty",
                  "ab:mempty"))
          .containsExactly(
              "a:1",
              "a:true",
              "a:{x=1, y=2}",
              "a:{y=2}",
              "a:false",
              "ab:{x=9}",
              "a:true",
              "ab:false");
    }
  }

  @Test
  void reducingAndAggregatingStateFoldOnAdd() {
    try (Driver d = script("none")) {
      assertThat(run(d, "a:radd:3", "a:radd:4", "b:radd:1", "a:rclear", "a:aadd:10", "a:aadd:20"))
          .containsExactly("a:3", "a:7", "b:1", "a:null", "a:10", "a:15");
    }
  }

  @Test
  void operatorListStateIsSharedByAllKeysOfTheTask() {
    try (Driver d = script("none")) {
      assertThat(run(d, "a:oadd:1", "b:oadd:2")).containsExactly("a:[a1]", "b:[a1, b2]");
    }
  }

  @Test
  void stateIsCommittedToTheStoreAndTheChangelog() {
    try (Driver d = script("none")) {
      run(d, "a:v+", "b:v+", "a:mput:x=1");
      assertThat(d.core.storeEntries("script")).isEqualTo(3);
      assertThat(d.core.changelogRecords()).isEqualTo(3);
      run(d, "a:vclear");
      assertThat(d.core.storeEntries("script")).isEqualTo(2);
      assertThat(d.core.changelogRecords()).isEqualTo(4); // the tombstone
    }
  }

  @Test
  void ttlOnCreateAndWriteExpiresAfterTheLastWrite() {
    try (Driver d = script("write")) {
      run(d, "a:v+", "a:ladd:x", "a:mput:k=1");
      d.core.advanceProcessingTime(600);
      assertThat(run(d, "a:vget", "a:lget", "a:mget:k")).containsExactly("a:1", "a:[x]", "a:1");
      d.core.advanceProcessingTime(600); // 1.2 s after the write; reads did not refresh it
      assertThat(run(d, "a:vget", "a:lget", "a:mget:k", "a:mall"))
          .containsExactly("a:0", "a:[]", "a:null", "a:{}");
    }
  }

  @Test
  void ttlOnReadAndWriteIsRefreshedByReads() {
    try (Driver d = script("read")) {
      run(d, "a:v+", "a:mput:k=1");
      for (int i = 0; i < 3; i++) {
        d.core.advanceProcessingTime(600);
        assertThat(run(d, "a:vget", "a:mget:k")).containsExactly("a:1", "a:1");
      }
      d.core.advanceProcessingTime(1000);
      assertThat(run(d, "a:vget", "a:mget:k")).containsExactly("a:0", "a:null");
    }
  }

  @Test
  void listElementsExpireOneByOne() {
    try (Driver d = script("write")) {
      run(d, "a:ladd:old");
      d.core.advanceProcessingTime(600);
      run(d, "a:ladd:new");
      d.core.advanceProcessingTime(600);
      assertThat(run(d, "a:lget")).containsExactly("a:[new]");
    }
  }

  @Test
  void returnExpiredIfNotCleanedUpServesExpiredValuesUntilCleanupRemovesThem() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .process(new Script("visible"))
        .uid("script")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b, java.util.Map.of("state.ttl.cleanup.batch", "0"))) {
      run(d, "a:v+");
      d.core.advanceProcessingTime(5000);
      assertThat(run(d, "a:vget")).containsExactly("a:1");
    }
  }

  @Test
  void backgroundCleanupRemovesExpiredEntriesNobodyReads() {
    try (Driver d = script("write")) {
      for (int i = 0; i < 50; i++) {
        run(d, "k" + i + ":v+", "k" + i + ":mput:x=1", "k" + i + ":ladd:y");
      }
      // Per key: the value, the map entry, and the list's header and element.
      assertThat(d.core.storeEntries("script")).isEqualTo(200);
      long changelogBefore = d.core.changelogRecords();
      d.core.advanceProcessingTime(2000);
      d.core.commit(); // each commit visits up to state.ttl.cleanup.batch entries
      assertThat(d.core.storeEntries("script")).isZero();
      // Each expired entry left a tombstone in the changelog, so a restore cannot revive it.
      assertThat(d.core.changelogRecords() - changelogBefore).isEqualTo(200);
    }
  }

  @Test
  void rollingAggregationsEmitEveryUpdate() {
    StreamBuilder b = new StreamBuilder();
    KeyedStream<Long, String> nums =
        b.fromSource(KafkaSource.topic("in", Serdes.Long()), "in")
            .keyBy(v -> v % 2 == 0 ? "even" : "odd", Serdes.String());
    nums.sum().uid("sum").map(v -> "sum=" + v).sinkTo(KafkaSink.topic("sum", Serdes.String()));
    nums.min().uid("min").map(v -> "min=" + v).sinkTo(KafkaSink.topic("min", Serdes.String()));
    nums.max().uid("max").map(v -> "max=" + v).sinkTo(KafkaSink.topic("max", Serdes.String()));
    nums.minBy(v -> -v)
        .uid("minBy")
        .map(v -> "minBy=" + v)
        .sinkTo(KafkaSink.topic("minBy", Serdes.String()));
    nums.maxBy(v -> v % 3)
        .uid("maxBy")
        .map(v -> "maxBy=" + v)
        .sinkTo(KafkaSink.topic("maxBy", Serdes.String()));
    nums.reduce((a, v) -> a * 10 + v)
        .uid("reduce")
        .map(v -> "reduce=" + v)
        .sinkTo(KafkaSink.topic("reduce", Serdes.String()));
    nums.aggregate(new Avg(), Serdes.String())
        .uid("avg")
        .sinkTo(KafkaSink.topic("avg", Serdes.String()));
    nums.count().uid("count").sinkTo(KafkaSink.keyValues("count", Serdes.String(), Serdes.Long()));
    try (Driver d = new Driver(b)) {
      for (long v : new long[] {3, 1, 5, 4}) {
        d.core.pipe("in", null, Serdes.Long().serializer().serialize("in", v), 0L, null);
      }
      assertThat(d.values("sum")).containsExactly("sum=3", "sum=4", "sum=9", "sum=4");
      assertThat(d.values("min")).containsExactly("min=3", "min=1", "min=1", "min=4");
      assertThat(d.values("max")).containsExactly("max=3", "max=3", "max=5", "max=4");
      assertThat(d.values("minBy")).containsExactly("minBy=3", "minBy=3", "minBy=5", "minBy=4");
      // 3%3=0, 1%3=1, 5%3=2: each is a new maximum; ties would keep the first.
      assertThat(d.values("maxBy")).containsExactly("maxBy=3", "maxBy=1", "maxBy=5", "maxBy=4");
      assertThat(d.values("reduce"))
          .containsExactly("reduce=3", "reduce=31", "reduce=315", "reduce=4");
      assertThat(d.values("avg")).containsExactly("3", "2", "3", "4");
      assertThat(d.records("count"))
          .extracting(
              o ->
                  Driver.string(o.key())
                      + "="
                      + Serdes.Long().deserializer().deserialize("count", o.value()))
          .containsExactly("odd=1", "odd=2", "odd=3", "even=1");
    }
  }

  static final class StatefulMap extends RichMapFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> seen;

    @Override
    public void open() {
      seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Serdes.Long(), 0L));
    }

    @Override
    public String map(String v) {
      seen.update(seen.value() + 1);
      return v + "#" + seen.value();
    }
  }

  @Test
  void richFunctionsOnKeyedStreamsGetKeyedState() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(v -> v, Serdes.String())
        .map(new StatefulMap())
        .uid("seen")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      assertThat(run(d, "a", "b", "a")).containsExactly("a#1", "b#1", "a#2");
    }
  }

  @Test
  void keyedStateOnANonKeyedStreamFailsNamingTheOperatorAndTheFix() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .map(new StatefulMap())
        .name("counter")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    assertThatThrownBy(() -> new Driver(b))
        .rootCause()
        .hasMessageContaining("'counter'")
        .hasMessageContaining("keyBy");
  }

  static final class Reuse extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void open() {
      getRuntimeContext().getState(new ValueStateDescriptor<>("x", Serdes.Long()));
      getRuntimeContext().getListState(new ListStateDescriptor<>("x", Serdes.Long()));
    }

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {}
  }

  @Test
  void oneNameForTwoKindsOfStateIsRejected() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(v -> v, Serdes.String())
        .process(new Reuse())
        .print();
    assertThatThrownBy(() -> new Driver(b))
        .rootCause()
        .hasMessageContaining("state 'x'")
        .hasMessageContaining("own name");
  }

  @Test
  void descriptorsRequireSerdes() {
    assertThatThrownBy(() -> new ValueStateDescriptor<Long>("count", null))
        .hasMessageContaining("'count'")
        .hasMessageContaining("Java serialisation");
    assertThatThrownBy(() -> new ValueStateDescriptor<>("bad name", Serdes.Long()))
        .hasMessageContaining("invalid");
  }

  @Test
  void rollingAggregationWithoutAKnownSerdeFailsAtBuildTime() {
    StreamBuilder b = new StreamBuilder();
    KeyedStream<Integer, Integer> k =
        b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
            .map(String::length)
            .keyBy(
                v -> v,
                Serdes.Integer(),
                Repartition.<Integer>named("by-len").withValueSerde(Serdes.Integer()));
    k.sum(); // the repartition's serde is known
    KeyedStream<Integer, Integer> unknown =
        b.fromSource(KafkaSource.topic("in2", Serdes.String()), "in2")
            .map(String::length)
            .reinterpretAsKeyedStream(v -> v, Serdes.Integer());
    assertThatThrownBy(unknown::sum).hasMessageContaining("returns(serde)");
  }
}
