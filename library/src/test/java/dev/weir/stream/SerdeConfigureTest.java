package dev.weir.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Weir calls {@code configure(configs, isKey)} on user serdes with the application's config. */
class SerdeConfigureTest {
  static final List<String> CONFIGURED = Collections.synchronizedList(new ArrayList<>());
  static final List<String> TOPICS = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void clear() {
    CONFIGURED.clear();
    TOPICS.clear();
  }

  /** Records its configure calls and the topic names it is called with. */
  static final class Recording<T> implements Serde<T> {
    private final String name;
    private final Serde<T> inner;

    Recording(String name, Serde<T> inner) {
      this.name = name;
      this.inner = inner;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
      if ("fail".equals(configs.get("custom.setting")) && configs.containsKey("weir.state.topic")) {
        throw new IllegalArgumentException("boom");
      }
      CONFIGURED.add(
          name
              + " key="
              + isKey
              + " state="
              + configs.get("weir.state.topic")
              + " ("
              + configs.get("weir.state.description")
              + ") custom="
              + configs.get("custom.setting"));
    }

    @Override
    public Serializer<T> serializer() {
      Serializer<T> s = inner.serializer();
      return (topic, v) -> {
        TOPICS.add(name + "@" + topic);
        return s.serialize(topic, v);
      };
    }

    @Override
    public Deserializer<T> deserializer() {
      return inner.deserializer();
    }
  }

  static final class Counter
      extends KeyedProcessFunction<String, KeyValue<String, String>, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;
    private transient MapState<String, Long> seen;

    @Override
    public void open() {
      count =
          getRuntimeContext()
              .getState(
                  new ValueStateDescriptor<>("count", new Recording<>("count", Serdes.Long()), 0L));
      seen =
          getRuntimeContext()
              .getMapState(
                  new MapStateDescriptor<>(
                      "seen",
                      new Recording<>("seenKey", Serdes.String()),
                      new Recording<>("seenValue", Serdes.Long())));
    }

    @Override
    public void processElement(KeyValue<String, String> kv, Context ctx, Collector<String> out)
        throws Exception {
      count.update(count.value() + 1);
      seen.put(kv.value(), count.value());
      out.collect(kv.key() + "=" + count.value());
    }
  }

  private static StreamBuilder topology() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.keyValues(
                "in",
                new Recording<>("sourceKey", Serdes.String()),
                new Recording<>("sourceValue", Serdes.String())),
            "in")
        .keyBy(KeyValue::key, new Recording<>("keyBy", Serdes.String()))
        .process(new Counter())
        .uid("counter")
        .sinkTo(
            KafkaSink.topic("out", new Recording<>("sinkValue", Serdes.String()))
                .withKey(v -> v, new Recording<>("sinkKey", Serdes.String())));
    return b;
  }

  @Test
  void topicAndStateSerdesAreConfiguredWithTheApplicationsConfiguration() {
    Map<String, Object> props = Map.of("application.id", "app", "custom.setting", "x");
    try (Driver d = new Driver(topology(), props)) {
      assertThat(CONFIGURED)
          .containsExactlyInAnyOrder(
              "sourceKey key=true state=null (null) custom=x",
              "sourceValue key=false state=null (null) custom=x",
              "keyBy key=true state=null (null) custom=x",
              "sinkValue key=false state=null (null) custom=x",
              "sinkKey key=true state=null (null) custom=x",
              "count key=false state=app-counter-count (state 'count' of operator 'counter')"
                  + " custom=x",
              "seenValue key=false state=app-counter-seen (state 'seen' of operator 'counter')"
                  + " custom=x",
              "seenKey key=true state=app-counter-seen (state 'seen' of operator 'counter')"
                  + " custom=x");

      d.pipe("in", "k", "v", 1);

      assertThat(d.values("out")).containsExactly("k=1");
      assertThat(new TreeSet<>(TOPICS))
          .containsExactly(
              "count@app-counter-count",
              "keyBy@app-in-keyBy-repartition",
              "seenKey@app-counter-seen",
              "seenValue@app-counter-seen",
              "sinkKey@out",
              "sinkValue@out",
              "sourceKey@app-in-keyBy-repartition",
              "sourceValue@app-in-keyBy-repartition");
    }
  }

  @Test
  void aStateSerdeRefusingItsConfigurationFailsTheStartNamingTheState() {
    Map<String, Object> props = Map.of("application.id", "app", "custom.setting", "fail");
    assertThatThrownBy(() -> new Driver(topology(), props)).rootCause().hasMessage("boom");
    assertThatThrownBy(() -> new Driver(topology(), props))
        .hasMessageContaining(
            "Configuring the serde of state 'count' of operator 'counter' (store 'counter')"
                + " failed: boom");
  }
}
