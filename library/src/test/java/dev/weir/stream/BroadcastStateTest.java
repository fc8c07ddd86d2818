package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.functions.BroadcastProcessFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedBroadcastProcessFunction;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** Broadcast state through the driver: rules broadcast to a keyed and to a non-keyed stream. */
class BroadcastStateTest {
  static final MapStateDescriptor<String, Long> RULES =
      new MapStateDescriptor<>("rules", Serdes.String(), Serdes.Long());
  static final ValueStateDescriptor<Long> ALERTS =
      new ValueStateDescriptor<>("alerts", Serdes.Long(), 0L);

  private static String key(String v) {
    return v.substring(0, v.indexOf(':'));
  }

  private static long amount(String v) {
    return Long.parseLong(v.substring(v.indexOf(':') + 1));
  }

  /**
   * Transactions "user:amount" are checked against every rule "name:threshold" (an amount above the
   * threshold alerts, counted per user); "name:-" removes a rule and resets every user's count,
   * visiting the keyed state of all users of the task.
   */
  static final class Alerts extends KeyedBroadcastProcessFunction<String, String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> alerts;

    @Override
    public void open() {
      alerts = getRuntimeContext().getState(ALERTS);
    }

    @Override
    public void processElement(String txn, ReadOnlyContext ctx, Collector<String> out)
        throws Exception {
      for (Map.Entry<String, Long> rule :
          ctx.getBroadcastState(RULES).immutableEntries().entrySet()) {
        if (amount(txn) > rule.getValue()) {
          long n = alerts.value() + 1;
          alerts.update(n);
          out.collect(rule.getKey() + " " + ctx.getCurrentKey() + " " + amount(txn) + " #" + n);
        }
      }
    }

    @Override
    public void processBroadcastElement(String rule, Context ctx, Collector<String> out)
        throws Exception {
      String name = key(rule);
      if (rule.endsWith(":-")) {
        ctx.getBroadcastState(RULES).remove(name);
        ctx.applyToKeyedState(
            ALERTS,
            (user, state) -> {
              out.collect("reset " + user + " at " + state.value());
              state.clear();
            });
      } else {
        ctx.getBroadcastState(RULES).put(name, amount(rule));
        out.collect("rule " + name + " > " + amount(rule));
      }
    }
  }

  private static StreamBuilder alerts() {
    StreamBuilder b = new StreamBuilder();
    BroadcastStream<String> rules =
        b.fromSource(KafkaSource.topic("rules", Serdes.String()), "rules").broadcast(RULES);
    b.fromSource(KafkaSource.topic("txns", Serdes.String()), "txns")
        .keyBy(BroadcastStateTest::key, Serdes.String())
        .connect(rules)
        .process(new Alerts())
        .uid("alerts")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return b;
  }

  @Test
  void aRuleAddedReplacedAndRemovedWhileKeyedRecordsFlow() {
    try (Driver d = new Driver(alerts())) {
      d.pipe("txns", "ann:500", 1); // no rule yet
      d.pipe("rules", "big:100", 2);
      d.pipe("txns", "ann:500", 3);
      d.pipe("txns", "bob:50", 4);
      d.pipe("rules", "big:400", 5); // replaced: ann's 300 no longer alerts
      d.pipe("txns", "ann:300", 6);
      d.pipe("txns", "bob:450", 7);
      d.pipe("rules", "huge:1000", 8);
      d.pipe("txns", "ann:2000", 9);
      d.pipe("rules", "big:-", 10); // removed; every user's count reset
      d.pipe("txns", "bob:2000", 11);
      d.pipe("txns", "ann:450", 12);
      assertThat(d.values("out"))
          .containsExactly(
              "rule big > 100",
              "big ann 500 #1",
              "rule big > 400",
              "big bob 450 #1",
              "rule huge > 1000",
              "big ann 2000 #2",
              "huge ann 2000 #3",
              "reset ann at 3",
              "reset bob at 1",
              "huge bob 2000 #1");
    }
  }

  @Test
  void broadcastStateAndItsPositionLiveInTheOperatorsStore() {
    try (Driver d = new Driver(alerts())) {
      d.pipe("rules", "big:100", 1);
      d.pipe("rules", "huge:1000", 2);
      d.pipe("rules", "big:-", 3);
      // One broadcast entry (huge) and one position (the rules partition), no keyed entries.
      assertThat(d.core.storeEntries("alerts")).isEqualTo(2);
    }
  }

  @Test
  void describeShowsTheBroadcastTopicApartFromTheTasksInputs() {
    assertThat(alerts().build().describe())
        .contains("Sub-topology 0 reads [txns]\n")
        .contains(
            "Sub-topology 1 reads [<application.id>-txns-keyBy-repartition] and broadcasts"
                + " [rules] to every task\n");
  }

  /** Non-keyed: words are tagged with every broadcast tag "word=tag". */
  static final class Tags extends BroadcastProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String word, ReadOnlyContext ctx, Collector<String> out)
        throws Exception {
      String tag = ctx.getBroadcastState(RULES).contains(word) ? "tagged" : "plain";
      out.collect(word + " " + tag + " @" + ctx.timestamp());
    }

    @Override
    public void processBroadcastElement(String tag, Context ctx, Collector<String> out)
        throws Exception {
      ctx.getBroadcastState(RULES).put(tag, ctx.timestamp());
    }
  }

  @Test
  void aNonKeyedStreamReadsBroadcastStateOnly() {
    StreamBuilder b = new StreamBuilder();
    BroadcastStream<String> tags =
        b.fromSource(KafkaSource.topic("tags", Serdes.String()), "tags")
            .map(String::trim)
            .returns(Serdes.String())
            .broadcast(RULES);
    b.fromSource(KafkaSource.topic("words", Serdes.String()), "words")
        .connect(tags)
        .process(new Tags())
        .uid("tags")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b)) {
      d.pipe("words", "kafka", 1);
      d.pipe("tags", " kafka ", 2);
      d.pipe("words", "kafka", 3);
      d.pipe("words", "flink", 4);
      assertThat(d.values("out"))
          .containsExactly("kafka plain @1", "kafka tagged @3", "flink plain @4");
    }
  }

  @Test
  void aBroadcastStreamMustComeStraightFromASource() {
    StreamBuilder b = new StreamBuilder();
    BroadcastStream<String> rules =
        b.fromSource(KafkaSource.topic("rules", Serdes.String()), "rules")
            .keyBy(BroadcastStateTest::key, Serdes.String())
            .broadcast(RULES);
    b.fromSource(KafkaSource.topic("txns", Serdes.String()), "txns")
        .keyBy(BroadcastStateTest::key, Serdes.String())
        .connect(rules)
        .process(new Alerts())
        .uid("alerts")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    assertThatThrownBy(() -> new Driver(b))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "The broadcast input of 'alerts' goes through 'keyBy-1' (keyBy): a broadcast stream"
                + " must be read straight from a source, with only map, filter, flatMap or process"
                + " between fromSource(...) and broadcast(...). Write the stream to a topic and"
                + " broadcast a source of that topic.");
  }

  @Test
  void aKeyedBroadcastFunctionNeedsAKeyedStream() {
    StreamBuilder b = new StreamBuilder();
    BroadcastStream<String> rules =
        b.fromSource(KafkaSource.topic("rules", Serdes.String()), "rules").broadcast(RULES);
    BroadcastConnectedStream<String, String> connected =
        b.fromSource(KafkaSource.topic("txns", Serdes.String()), "txns").connect(rules);
    assertThatThrownBy(() -> connected.process(new Alerts()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "process(KeyedBroadcastProcessFunction) needs a keyed stream, but 'txns' is not"
                + " keyed: keyBy(...) it before connect(...), or use a BroadcastProcessFunction.");
  }

  @Test
  void anUndeclaredBroadcastStateIsRefused() {
    StreamBuilder b = new StreamBuilder();
    MapStateDescriptor<String, Long> other =
        new MapStateDescriptor<>("other", Serdes.String(), Serdes.Long());
    BroadcastStream<String> rules =
        b.fromSource(KafkaSource.topic("rules", Serdes.String()), "rules").broadcast(other);
    b.fromSource(KafkaSource.topic("txns", Serdes.String()), "txns")
        .keyBy(BroadcastStateTest::key, Serdes.String())
        .connect(rules)
        .process(new Alerts())
        .uid("alerts")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    try (Driver d = new Driver(b, Map.of(dev.weir.WeirConfig.PROCESSING_HANDLER_CONFIG, "fail"))) {
      assertThatThrownBy(() -> d.pipe("rules", "big:100", 1))
          .hasStackTraceContaining(
              "Operator 'alerts' asked for broadcast state 'rules', but the broadcast stream"
                  + " declares only [other]: pass the descriptor to broadcast(...)");
    }
  }
}
