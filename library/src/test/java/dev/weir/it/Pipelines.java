package dev.weir.it;

import dev.weir.WeirConfig;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The pipeline the runtime ITs run, and helpers to feed and read it. */
final class Pipelines {
  private Pipelines() {}

  /**
   * in ("key:seq") -> parse -> keyBy key (repartition) -> tag -> out ("key:seq:tagged"). Every
   * input yields exactly one output, so the verifier is "each seq once".
   */
  static Topology keyedEtl(String in, String out) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic(in, Serdes.String()), "in")
        .filter(v -> v.contains(":"))
        .name("valid")
        .keyBy(
            v -> v.substring(0, v.indexOf(':')),
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .map(v -> v + ":tagged")
        .name("tag")
        .sinkTo(
            KafkaSink.topic(out, Serdes.String())
                .withKey(v -> v.substring(0, v.indexOf(':')), Serdes.String()));
    return b.build();
  }

  /**
   * in ("key:seq") -> keyBy key (repartition) -> running count per key in a ValueState -> out
   * ("key:seq:count"). With one producer writing each key in sequence order, the count of input seq
   * i is its rank among its key's inputs, so the expected output is known without Weir.
   */
  static Topology runningCount(String in, String out) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic(in, Serdes.String()), "in")
        .keyBy(
            v -> v.substring(0, v.indexOf(':')),
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .process(new RunningCount())
        .uid("counter")
        .sinkTo(
            KafkaSink.topic(out, Serdes.String())
                .withKey(v -> v.substring(0, v.indexOf(':')), Serdes.String()));
    return b.build();
  }

  /** Counts records per key in keyed state. */
  static final class RunningCount extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;

    @Override
    public void open() {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long(), 0L));
    }

    @Override
    public void processElement(String value, Context ctx, Collector<String> out)
        throws InterruptedException {
      // Crash tests slow processing down so that a kill lands while a transaction is open.
      long delay = Long.getLong("weir.it.recordDelayMs", 0);
      if (delay > 0) {
        Thread.sleep(delay);
      }
      long n = count.value() + 1;
      count.update(n);
      out.collect(value + ":" + n);
      holdAtGate(value);
    }

    /**
     * With {@code weir.it.gateFrom=G} and {@code weir.it.gateFile=F}, the first record of seq G or
     * later, once its output is collected, creates F and blocks the thread for good: the
     * transaction holding that output stays open until the process is killed.
     */
    private static void holdAtGate(String value) throws InterruptedException {
      long from = Long.getLong("weir.it.gateFrom", -1);
      if (from < 0 || Long.parseLong(value.split(":")[1]) < from) {
        return;
      }
      try {
        Files.writeString(Path.of(System.getProperty("weir.it.gateFile")), value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      new CountDownLatch(1).await();
    }
  }

  /**
   * Checks running-count outputs "key:seq:count" for inputs 0..total-1 written as key "k(i %
   * keys)": each seq exactly once, with count = its rank within its key.
   */
  static List<String> countProblems(List<String> outputs, int total, int keys) {
    Map<Integer, Integer> seen = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (String v : outputs) {
      String[] p = v.split(":");
      int seq = Integer.parseInt(p[1]);
      long count = Long.parseLong(p[2]);
      if (seen.merge(seq, 1, Integer::sum) > 1) {
        problems.add("duplicated " + v);
      }
      long expected = seq / keys + 1;
      if (count != expected) {
        problems.add("wrong " + v + " (expected count " + expected + ")");
      }
    }
    for (int i = 0; i < total; i++) {
      if (!seen.containsKey(i)) {
        problems.add("lost seq " + i);
      }
    }
    return problems;
  }

  static Properties appProps(String bootstrap, String appId, Path stateDir) {
    Properties p = new Properties();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, appId);
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(WeirConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    p.put("consumer." + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    return p;
  }

  static void produce(String bootstrap, String topic, int from, int to, int keys) {
    produce(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, from, to, keys);
  }

  /** As {@link #produce(String, String, int, int, int)} with complete client settings. */
  static void produce(Map<String, Object> client, String topic, int from, int to, int keys) {
    Map<String, Object> c = new HashMap<>(client);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        String key = "k" + (i % keys);
        p.send(new ProducerRecord<>(topic, key, key + ":" + i));
      }
      p.flush();
    }
  }

  /** Writes {@code values} to {@code topic} without keys, in order (one-partition topics). */
  static void produceValues(String bootstrap, String topic, List<String> values) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (String v : values) {
        p.send(new ProducerRecord<>(topic, v));
      }
      p.flush();
    }
  }

  /** Reads everything committed in {@code topic} until {@code expected} values or the timeout. */
  static List<String> readCommitted(
      String bootstrap, String topic, int expected, Duration timeout) {
    return readCommitted(
        Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic, expected, timeout);
  }

  /** As {@link #readCommitted(String, String, int, Duration)} with complete client settings. */
  static List<String> readCommitted(
      Map<String, Object> client, String topic, int expected, Duration timeout) {
    Map<String, Object> c = new HashMap<>(client);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(pi -> new TopicPartition(topic, pi.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      // Drain anything beyond `expected` that is already there: duplicates must be seen.
      for (int i = 0; i < 5; i++) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
          values.add(r.value());
        }
      }
    }
    return values;
  }

  /** Counts how often each input sequence number appears in the output. */
  static Map<Integer, Integer> countBySeq(List<String> outputs) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (String v : outputs) {
      String[] parts = v.split(":");
      counts.merge(Integer.parseInt(parts[1]), 1, Integer::sum);
    }
    return counts;
  }
}
