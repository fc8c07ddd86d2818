package dev.weir.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.query.StateQueryException;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.StateTtlConfig;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Interactive queries through the test driver: point lookups, scans, map state, TTL, errors. */
class WeirTestDriverQueryTest {
  static final ValueStateDescriptor<Long> COUNT =
      new ValueStateDescriptor<>("count", Serdes.Long());
  static final MapStateDescriptor<String, Long> PAGES =
      new MapStateDescriptor<>("pages", Serdes.String(), Serdes.Long());

  /** Input "user:page": counts clicks per user and per user and page; emits nothing. */
  static final class Clicks extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private final boolean ttl;
    private transient ValueState<Long> count;
    private transient MapState<String, Long> pages;

    Clicks(boolean ttl) {
      this.ttl = ttl;
    }

    @Override
    public void open() {
      ValueStateDescriptor<Long> c = new ValueStateDescriptor<>("count", Serdes.Long());
      if (ttl) {
        c.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofSeconds(10)).build());
      }
      count = getRuntimeContext().getState(c);
      pages =
          getRuntimeContext()
              .getMapState(new MapStateDescriptor<>("pages", Serdes.String(), Serdes.Long()));
    }

    @Override
    public void processElement(String click, Context ctx, Collector<String> out) throws Exception {
      Long n = count.value();
      count.update(n == null ? 1 : n + 1);
      String page = click.substring(click.indexOf(':') + 1);
      Long p = pages.get(page);
      pages.put(page, p == null ? 1 : p + 1);
    }
  }

  static Topology topology(boolean ttl) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("clicks", Serdes.String()), "clicks")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .process(new Clicks(ttl))
        .uid("clicks")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return b.build();
  }

  private static void pipe(WeirTestDriver driver, String... clicks) {
    TestInputTopic<String, String> in =
        driver.createInputTopic("clicks", new StringSerializer(), new StringSerializer());
    for (String c : clicks) {
      in.pipeInput(c, 1_000L);
    }
  }

  @Test
  void pointLookupsAndScansReadTheCommittedState() {
    try (WeirTestDriver driver = new WeirTestDriver(topology(false))) {
      pipe(driver, "bob:a", "alice:a", "alice:b", "al:c", "carol:a", "alice:a");
      ReadOnlyKeyedState<String, Long> counts =
          driver.query(StateQuery.value("clicks", COUNT, Serdes.String()));

      assertThat(counts.get("alice")).isEqualTo(3L);
      assertThat(counts.get("bob")).isEqualTo(1L);
      assertThat(counts.get("dave")).isNull();
      // Ordered by key bytes across key lengths ("al" < "alice" < "bob"), not by the store's
      // length-first layout.
      assertThat(counts.all())
          .containsExactly(
              KeyValue.of("al", 1L),
              KeyValue.of("alice", 3L),
              KeyValue.of("bob", 1L),
              KeyValue.of("carol", 1L));
      assertThat(counts.range("alice", "carol"))
          .containsExactly(KeyValue.of("alice", 3L), KeyValue.of("bob", 1L));
      assertThat(counts.range(null, "b"))
          .containsExactly(KeyValue.of("al", 1L), KeyValue.of("alice", 3L));
      assertThat(counts.prefixScan("al", new StringSerializer()))
          .containsExactly(KeyValue.of("al", 1L), KeyValue.of("alice", 3L));
    }
  }

  @Test
  void mapStateReadsAsAMapPerKey() {
    try (WeirTestDriver driver = new WeirTestDriver(topology(false))) {
      pipe(driver, "alice:b", "alice:a", "alice:b", "bob:z");
      ReadOnlyKeyedState<String, Map<String, Long>> pages =
          driver.query(StateQuery.map("clicks", PAGES, Serdes.String()));

      assertThat(pages.get("alice")).containsExactly(Map.entry("a", 1L), Map.entry("b", 2L));
      assertThat(pages.get("nobody")).isNull();
      assertThat(pages.all())
          .containsExactly(
              KeyValue.of("alice", Map.of("a", 1L, "b", 2L)), KeyValue.of("bob", Map.of("z", 1L)));
    }
  }

  @Test
  void expiredValuesReadAsAbsentByTheDriversProcessingTime() {
    try (WeirTestDriver driver = new WeirTestDriver(topology(true), new Properties(), 0L)) {
      pipe(driver, "alice:a");
      ReadOnlyKeyedState<String, Long> counts =
          driver.query(StateQuery.value("clicks", COUNT, Serdes.String()));
      assertThat(counts.get("alice")).isEqualTo(1L);
      driver.advanceProcessingTime(Duration.ofSeconds(10));
      assertThat(counts.get("alice")).isNull();
      assertThat(counts.all()).isEqualTo(List.of());
    }
  }

  @Test
  void anUnknownUidNamesTheOperatorsThatExist() {
    try (WeirTestDriver driver = new WeirTestDriver(topology(false))) {
      assertThatThrownBy(() -> driver.query(StateQuery.value("counter", COUNT, Serdes.String())))
          .isInstanceOf(StateQueryException.class)
          .hasMessage(
              "No stateful operator has uid 'counter'; the stateful operators with a uid are"
                  + " [clicks]. Query an operator by the uid(...) it was given in the topology.")
          .extracting(e -> ((StateQueryException) e).reason())
          .isEqualTo(StateQueryException.Reason.UNKNOWN_STATE);
    }
  }
}
