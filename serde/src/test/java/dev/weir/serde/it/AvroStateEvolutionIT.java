package dev.weir.serde.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.ApplicationState;
import dev.weir.ThreadFailureResponse;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.serde.avro.GenericAvroSerde;
import dev.weir.serde.avro.Payment;
import dev.weir.serde.avro.SpecificAvroSerde;
import dev.weir.serde.testing.FakeConfluentRegistry;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import dev.weir.testkit.KafkaCluster;
import dev.weir.testkit.WeirKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro in and out through a schema registry on HTTP, with an Avro keyed state: the application is
 * restarted with a state schema that drops a field and gains one with a default and keeps its
 * counts; restarted with an incompatible one, it fails before processing a record.
 */
@WeirKafka(brokers = 1)
class AvroStateEvolutionIT {
  private static final String APP = "avro-it";

  static final String TOTAL_V1 =
      "{\"type\":\"record\",\"name\":\"Total\",\"namespace\":\"dev.weir.it\",\"fields\":["
          + "{\"name\":\"customer\",\"type\":\"string\"},"
          + "{\"name\":\"count\",\"type\":\"long\"},"
          + "{\"name\":\"sum\",\"type\":\"long\"}]}";

  /** V1 without {@code sum} and with {@code max} (default 0): reads V1 state. */
  static final String TOTAL_V2 =
      "{\"type\":\"record\",\"name\":\"Total\",\"namespace\":\"dev.weir.it\",\"fields\":["
          + "{\"name\":\"customer\",\"type\":\"string\"},"
          + "{\"name\":\"count\",\"type\":\"long\"},"
          + "{\"name\":\"max\",\"type\":\"long\",\"default\":0}]}";

  /** V2 with {@code region} without a default: cannot read V2 state. */
  static final String TOTAL_V3 =
      "{\"type\":\"record\",\"name\":\"Total\",\"namespace\":\"dev.weir.it\",\"fields\":["
          + "{\"name\":\"customer\",\"type\":\"string\"},"
          + "{\"name\":\"count\",\"type\":\"long\"},"
          + "{\"name\":\"max\",\"type\":\"long\",\"default\":0},"
          + "{\"name\":\"region\",\"type\":\"string\"}]}";

  @TempDir Path stateDir;
  private FakeConfluentRegistry registry;

  @BeforeEach
  void startRegistry() throws Exception {
    registry = FakeConfluentRegistry.start();
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }

  /** Counts payments per customer in an Avro state whose schema is a parameter. */
  static final class Totals
      extends KeyedProcessFunction<
          String, KeyValue<String, Payment>, KeyValue<String, GenericRecord>> {
    private static final long serialVersionUID = 1L;
    private final String stateSchema;
    private transient Schema schema;
    private transient ValueState<GenericRecord> total;

    Totals(String stateSchema) {
      this.stateSchema = stateSchema;
    }

    @Override
    public void open() {
      schema = new Schema.Parser().parse(stateSchema);
      total =
          getRuntimeContext()
              .getState(new ValueStateDescriptor<>("total", new GenericAvroSerde(schema)));
    }

    @Override
    public void processElement(
        KeyValue<String, Payment> kv, Context ctx, Collector<KeyValue<String, GenericRecord>> out)
        throws Exception {
      GenericRecord t = total.value();
      if (t == null) {
        t = new GenericData.Record(schema);
        t.put("customer", kv.key());
        t.put("count", 0L);
        for (String f : List.of("sum", "max")) {
          if (schema.getField(f) != null) {
            t.put(f, 0L);
          }
        }
      }
      long amount = kv.value().amount();
      t.put("count", (Long) t.get("count") + 1);
      if (schema.getField("sum") != null) {
        t.put("sum", (Long) t.get("sum") + amount);
      }
      if (schema.getField("max") != null) {
        t.put("max", Math.max((Long) t.get("max"), amount));
      }
      total.update(t);
      out.collect(new KeyValue<>(kv.key(), t));
    }
  }

  private Properties config(KafkaCluster kafka) {
    Properties p = new Properties();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, APP);
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(WeirConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, 200L);
    p.put("schema.registry.url", registry.url());
    return p;
  }

  private static StreamBuilder topology(String stateSchema) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.keyValues(
                "payments", Serdes.String(), new SpecificAvroSerde<>(Payment.class)),
            "payments")
        .keyBy(KeyValue::key, Serdes.String())
        .process(new Totals(stateSchema))
        .uid("totals")
        .sinkTo(KafkaSink.keyValues("totals", Serdes.String(), new GenericAvroSerde()));
    return b;
  }

  @Test
  void avroThroughTheRegistryAndStateThatEvolves(KafkaCluster kafka) throws Exception {
    kafka.createTopic("payments", 2);
    kafka.createTopic("totals", 2);

    produce(kafka, 0, 30);
    try (WeirApplication app = new WeirApplication(topology(TOTAL_V1).build(), config(kafka))) {
      app.start();
      Map<String, List<String>> first = readTotals(kafka, 30);
      assertThat(first.get("c0"))
          .containsExactly(
              "{\"customer\": \"c0\", \"count\": 1, \"sum\": 1}",
              "{\"customer\": \"c0\", \"count\": 2, \"sum\": 5}",
              "{\"customer\": \"c0\", \"count\": 3, \"sum\": 12}",
              "{\"customer\": \"c0\", \"count\": 4, \"sum\": 22}",
              "{\"customer\": \"c0\", \"count\": 5, \"sum\": 35}",
              "{\"customer\": \"c0\", \"count\": 6, \"sum\": 51}",
              "{\"customer\": \"c0\", \"count\": 7, \"sum\": 70}",
              "{\"customer\": \"c0\", \"count\": 8, \"sum\": 92}",
              "{\"customer\": \"c0\", \"count\": 9, \"sum\": 117}",
              "{\"customer\": \"c0\", \"count\": 10, \"sum\": 145}");
      assertThat(last(first))
          .containsExactly(
              "{\"customer\": \"c0\", \"count\": 10, \"sum\": 145}",
              "{\"customer\": \"c1\", \"count\": 10, \"sum\": 155}",
              "{\"customer\": \"c2\", \"count\": 10, \"sum\": 165}");
    }
    assertThat(registry.store().versions(APP + "-totals-total-value")).containsExactly(1);

    // Upgrade: sum dropped, max added with a default. The counts go on from the stored state.
    produce(kafka, 30, 45);
    try (WeirApplication app = new WeirApplication(topology(TOTAL_V2).build(), config(kafka))) {
      app.start();
      Map<String, List<String>> all = readTotals(kafka, 45);
      assertThat(all.get("c1").subList(10, 15))
          .containsExactly(
              "{\"customer\": \"c1\", \"count\": 11, \"max\": 32}",
              "{\"customer\": \"c1\", \"count\": 12, \"max\": 35}",
              "{\"customer\": \"c1\", \"count\": 13, \"max\": 38}",
              "{\"customer\": \"c1\", \"count\": 14, \"max\": 41}",
              "{\"customer\": \"c1\", \"count\": 15, \"max\": 44}");
      assertThat(last(all))
          .containsExactly(
              "{\"customer\": \"c0\", \"count\": 15, \"max\": 43}",
              "{\"customer\": \"c1\", \"count\": 15, \"max\": 44}",
              "{\"customer\": \"c2\", \"count\": 15, \"max\": 45}");
    }
    assertThat(registry.store().versions(APP + "-totals-total-value")).containsExactly(1, 2);

    // An incompatible change: the task fails at start, before it processes the new payment.
    produce(kafka, 45, 46);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (WeirApplication app = new WeirApplication(topology(TOTAL_V3).build(), config(kafka))) {
      app.setUncaughtExceptionHandler(
          e -> {
            failure.compareAndSet(null, e);
            return ThreadFailureResponse.SHUTDOWN_INSTANCE;
          });
      app.start();
      assertThat(app.awaitState(Duration.ofSeconds(120), ApplicationState.ERROR)).isTrue();
    }
    assertThat(messages(failure.get()))
        .contains(
            "The schema of state 'total' of operator 'totals' changed incompatibly:"
                + " dev.weir.it.Total as now declared cannot read the state stored with version 1"
                + " (schema id 2) of subject 'avro-it-totals-total-value':"
                + " READER_FIELD_MISSING_DEFAULT_VALUE at /fields/3: region. Give a new field a"
                + " default, keep removed fields' types, or give the state a new name to start it"
                + " empty");
    assertThat(registry.store().versions(APP + "-totals-total-value")).containsExactly(1, 2);
    assertThat(readTotals(kafka, 45).values().stream().mapToInt(List::size).sum()).isEqualTo(45);
  }

  private static String messages(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c.getMessage()).append('\n');
    }
    return b.toString();
  }

  private static List<String> last(Map<String, List<String>> byCustomer) {
    List<String> out = new ArrayList<>();
    new java.util.TreeMap<>(byCustomer).values().forEach(l -> out.add(l.get(l.size() - 1)));
    return out;
  }

  /** Payments {@code from..to-1}: payment i is customer c(i%3), amount i+1. */
  private void produce(KafkaCluster kafka, int from, int to) throws Exception {
    SpecificAvroSerde<Payment> serde = new SpecificAvroSerde<>(Payment.class);
    serde.configure(Map.of("schema.registry.url", registry.url()), false);
    try (KafkaProducer<String, Payment> producer =
        new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), serde.serializer())) {
      List<Future<?>> sends = new ArrayList<>();
      for (int i = from; i < to; i++) {
        String customer = "c" + (i % 3);
        sends.add(
            producer.send(new ProducerRecord<>("payments", customer, new Payment("p" + i, i + 1))));
      }
      for (Future<?> f : sends) {
        f.get();
      }
    }
  }

  /** The committed totals, per customer in output order, once there are {@code expected}. */
  private Map<String, List<String>> readTotals(KafkaCluster kafka, int expected) {
    GenericAvroSerde serde = new GenericAvroSerde();
    serde.configure(Map.of("schema.registry.url", registry.url()), false);
    Map<String, Object> c = new HashMap<>(kafka.clientProperties());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    Map<String, List<String>> out = new LinkedHashMap<>();
    int n = 0;
    try (KafkaConsumer<String, GenericRecord> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), serde.deserializer())) {
      List<org.apache.kafka.common.TopicPartition> parts =
          List.of(
              new org.apache.kafka.common.TopicPartition("totals", 0),
              new org.apache.kafka.common.TopicPartition("totals", 1));
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (n < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(200))) {
          out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().toString());
          n++;
        }
      }
      // Anything committed beyond the expected count would be a duplicate: read to the end.
      Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(parts);
      while (System.nanoTime() < deadline
          && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(200))) {
          out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().toString());
        }
      }
    }
    return out;
  }
}
