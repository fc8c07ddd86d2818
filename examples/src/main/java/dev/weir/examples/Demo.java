package dev.weir.examples;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The README's first command: starts a real Kafka broker (a child JVM), writes sensor readings,
 * runs a Weir pipeline with exactly-once (parse, key by sensor, convert to Fahrenheit, write), and
 * checks the committed output against the expected result computed independently.
 *
 * <p>Usage: {@code Demo [--bootstrap-servers host:port] [--records N]}.
 */
public final class Demo {
  private Demo() {}

  /** The demo pipeline: "sensor,celsius" lines to "sensor,fahrenheit" keyed by sensor. */
  static Topology topology(String in, String out) {
    StreamBuilder builder = new StreamBuilder();
    builder
        .fromSource(KafkaSource.topic(in, Serdes.String()), "readings")
        .filter(line -> line.indexOf(',') > 0)
        .name("well-formed")
        .keyBy(
            line -> line.substring(0, line.indexOf(',')),
            Serdes.String(),
            Repartition.<String>named("by-sensor"))
        .map(Demo::toFahrenheit)
        .name("to-fahrenheit")
        .sinkTo(
            KafkaSink.topic(out, Serdes.String())
                .withKey(line -> line.substring(0, line.indexOf(',')), Serdes.String()));
    return builder.build();
  }

  static String toFahrenheit(String line) {
    int comma = line.indexOf(',');
    String[] rest = line.substring(comma + 1).split(",");
    double c = Double.parseDouble(rest[0]);
    return line.substring(0, comma)
        + ","
        + String.format(java.util.Locale.ROOT, "%.1f", c * 9 / 5 + 32)
        + ","
        + rest[1];
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = null;
    int records = 20_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--bootstrap-servers" -> bootstrap = args[++i];
        case "--records" -> records = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
      }
    }
    EmbeddedKafkaCluster kafka = null;
    long t0 = System.nanoTime();
    if (bootstrap == null) {
      System.out.println("Starting an embedded Kafka broker (KRaft, child JVM)...");
      kafka = EmbeddedKafkaCluster.start(1);
      bootstrap = kafka.bootstrapServers();
      System.out.printf(
          "Kafka ready at %s in %.1f s%n", bootstrap, kafka.startupTime().toMillis() / 1000.0);
    }
    String run = Long.toString(System.currentTimeMillis(), 36);
    String in = "weir-demo-readings-" + run;
    String out = "weir-demo-fahrenheit-" + run;
    Path stateDir = Files.createTempDirectory("weir-demo-state");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(List.of(new NewTopic(in, 4, (short) 1), new NewTopic(out, 4, (short) 1)))
          .all()
          .get();
      Map<String, String> expected = produce(bootstrap, in, records);
      System.out.printf("Wrote %,d readings of 50 sensors to %s%n", records, in);
      Properties props = new Properties();
      props.put(WeirConfig.APPLICATION_ID_CONFIG, "weir-demo-" + run);
      props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(WeirConfig.STATE_DIR_CONFIG, stateDir.toString());
      props.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 2);
      Topology topology = topology(in, out);
      System.out.println(topology.describe());
      try (WeirApplication app = new WeirApplication(topology, props)) {
        app.start();
        app.awaitState(Duration.ofSeconds(60), ApplicationState.RUNNING);
        Map<String, List<String>> seen = readCommitted(bootstrap, out, records, app);
        long lost = expected.keySet().stream().filter(k -> !seen.containsKey(k)).count();
        long duplicated = seen.values().stream().filter(v -> v.size() > 1).count();
        long wrong =
            seen.entrySet().stream()
                .filter(e -> !e.getValue().get(0).equals(expected.get(e.getKey())))
                .count();
        System.out.printf(
            "%nDone in %.1f s: records=%d lost=%d duplicated=%d wrong=%d (exactly_once, %s)%n",
            (System.nanoTime() - t0) / 1e9, records, lost, duplicated, wrong, app.metrics());
        if (lost + duplicated + wrong != 0) {
          System.exit(1);
        }
      }
    } finally {
      if (kafka != null) {
        kafka.close();
      }
    }
  }

  /**
   * Waits until the leader of every partition serves requests. Metadata can name a leader before
   * the broker has loaded a new partition; writing then fails with NotLeaderOrFollower and the
   * idempotent producer's retries can end in OutOfOrderSequence (seen with Kafka 4.3.1). A
   * successful ListOffsets is answered by the serving leader itself.
   */
  private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> all =
        new HashMap<>();
    for (var d : admin.describeTopics(topics).allTopicNames().get().values()) {
      d.partitions()
          .forEach(
              p ->
                  all.put(
                      new TopicPartition(d.name(), p.partition()),
                      org.apache.kafka.clients.admin.OffsetSpec.latest()));
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        admin.listOffsets(all).all().get();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Partitions of " + topics + " not served within 30 s", e);
        }
      }
    }
  }

  private static Map<String, String> produce(String bootstrap, String topic, int n)
      throws Exception {
    Map<String, String> expected = new HashMap<>();
    List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrap),
            new StringSerializer(),
            new StringSerializer())) {
      java.util.Random r = new java.util.Random(42);
      for (int i = 0; i < n; i++) {
        String sensor = "sensor-" + (i % 50);
        double c = Math.round((15 + r.nextGaussian() * 5) * 10) / 10.0;
        String line = sensor + "," + c + "," + i;
        sends.add(p.send(new ProducerRecord<>(topic, sensor, line)));
        expected.put(Integer.toString(i), toFahrenheit(line));
      }
      p.flush();
      for (java.util.concurrent.Future<?> f : sends) {
        f.get(); // an input record that could not be written fails the demo here, not as "lost"
      }
    }
    return expected;
  }

  /** Reads committed output by reading sequence number, showing progress on one line. */
  private static Map<String, List<String>> readCommitted(
      String bootstrap, String topic, int expected, WeirApplication app) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, List<String>> bySeq = new HashMap<>();
    int total = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      int quiet = 0;
      while (System.nanoTime() < deadline && (total < expected || quiet < 5)) {
        int got = 0;
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          String seq = r.value().substring(r.value().lastIndexOf(',') + 1);
          bySeq.computeIfAbsent(seq, k -> new java.util.ArrayList<>()).add(r.value());
          got++;
        }
        total += got;
        quiet = got == 0 && total >= expected ? quiet + 1 : 0;
        Map<String, Long> m = app.metrics();
        System.out.printf(
            "\rin=%,d out=%,d committed-read=%,d commits=%,d   ",
            m.get("records-in"), m.get("records-out"), total, m.get("commits"));
      }
    }
    System.out.println();
    return bySeq;
  }
}
