package dev.weir.perf;

import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.postgres.PostgresSink;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.postgres.PostgresServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Records per second of W1 (parse, filter, enrich) written to Kafka only, and written to PostgreSQL
 * exactly once (prepared transactions) and by upsert, on one broker and the testkit's embedded
 * PostgreSQL, one in-process application per mode, exactly-once processing.
 *
 * <p>Usage: {@code PostgresSinkBench [records=200000] [partitions=4] [rounds=1]}. The rate is input
 * records over the time from the application's start until its committed offsets reach the input's
 * end; the output is then counted (Kafka: committed output offsets; PostgreSQL: rows).
 */
public final class PostgresSinkBench {
  private PostgresSinkBench() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    Path work = Files.createTempDirectory("weir-pg-bench");
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1);
        PostgresServer pg = PostgresServer.startEmbedded(Map.of());
        Admin admin =
            Admin.create(
                Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      kafka.createTopic("w1-in", partitions);
      long kept = load(kafka.bootstrapServers(), records, partitions);
      String url = pg.createDatabase("bench");
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE w1_eos (seq bigint NOT NULL, k text NOT NULL, v text NOT NULL)");
        s.execute("CREATE TABLE w1_upsert (seq bigint PRIMARY KEY, k text NOT NULL, v text)");
      }
      List<String> modes =
          new java.util.ArrayList<>(List.of("kafka", "postgres-eos", "postgres-upsert"));
      for (int round = 0; round < rounds * modes.size(); round++) {
        // Each round starts with the next mode, so no mode always runs on a cold JIT.
        String mode = modes.get(round % modes.size());
        if (round % modes.size() == 0 && round > 0) {
          java.util.Collections.rotate(modes, -1);
          mode = modes.get(0);
        }
        try (Connection c = DriverManager.getConnection(url);
            Statement s = c.createStatement()) {
          s.execute("TRUNCATE w1_eos, w1_upsert");
        }
        String id = mode + "-" + round;
        kafka.createTopic("w1-out-" + id, partitions);
        double seconds = run(kafka.bootstrapServers(), admin, url, mode, id, work.resolve(id));
        long out =
            mode.equals("kafka")
                ? -1
                : count(url, mode.equals("postgres-eos") ? "w1_eos" : "w1_upsert");
        System.out.printf(
            Locale.ROOT,
            "bench W1 %s: %d records in %.1f s = %.0f records/s; output %s (expected %d);"
                + " load average %s%n",
            mode,
            records,
            seconds,
            records / seconds,
            out < 0 ? "in Kafka" : out + " rows",
            kept,
            Files.readString(Path.of("/proc/loadavg")).trim());
      }
    }
  }

  private static long load(String bootstrap, int records, int partitions) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    long[] kept = new long[1];
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      new Dataset(records, 10_000, partitions, Dataset.defaultT0())
          .generate(
              (partition, timestamp, value) -> {
                if (Event.parse(new String(value, StandardCharsets.UTF_8)).keep()) {
                  kept[0]++;
                }
                producer.send(new ProducerRecord<>("w1-in", partition, timestamp, null, value));
              });
      producer.flush();
    }
    return kept[0];
  }

  private static double run(
      String bootstrap, Admin admin, String url, String mode, String id, Path state)
      throws Exception {
    StreamBuilder b = new StreamBuilder();
    DataStream<Event> kept =
        b.fromSource(KafkaSource.topic("w1-in", Serdes.String()), "input")
            .map(Event::parse)
            .name("parse")
            .filter(Event::keep)
            .name("keep");
    switch (mode) {
      case "kafka" ->
          kept.map(e -> KeyValue.of(e.key(), e.enrich()))
              .name("enrich")
              .sinkTo(KafkaSink.keyValues("w1-out-" + id, Serdes.String(), Serdes.String()));
      case "postgres-eos" -> kept.sinkTo(sink(url, "w1_eos", PostgresSink.Mode.EXACTLY_ONCE));
      default -> kept.sinkTo(sink(url, "w1_upsert", PostgresSink.Mode.UPSERT));
    }
    Properties p = new Properties();
    String appId = "bench-" + id;
    p.put(WeirConfig.APPLICATION_ID_CONFIG, appId);
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(WeirConfig.STATE_DIR_CONFIG, state.toString());
    long total = totalEnd(admin);
    WeirApplication app = new WeirApplication(b.build(), p);
    long start = System.nanoTime();
    app.start();
    try {
      while (committed(admin, appId) < total) {
        Thread.sleep(100); // polling another process's progress
      }
      return (System.nanoTime() - start) / 1e9;
    } finally {
      app.close(Duration.ofSeconds(30));
    }
  }

  private static PostgresSink<Event> sink(String url, String table, PostgresSink.Mode mode) {
    return PostgresSink.<Event>builder()
        .url(url)
        .mode(mode)
        .sql(
            mode == PostgresSink.Mode.UPSERT
                ? PostgresSink.upsertSql(table, List.of("seq"), List.of("k", "v"))
                : "INSERT INTO " + table + " (seq, k, v) VALUES (?, ?, ?)")
        .statementBuilder(
            (ps, e) -> {
              ps.setLong(1, e.seq());
              ps.setString(2, e.key());
              ps.setString(3, e.enrich());
            })
        .build();
  }

  private static long totalEnd(Admin admin) throws Exception {
    int partitions =
        admin
            .describeTopics(List.of("w1-in"))
            .allTopicNames()
            .get()
            .get("w1-in")
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> specs = new java.util.HashMap<>();
    for (int i = 0; i < partitions; i++) {
      specs.put(new TopicPartition("w1-in", i), OffsetSpec.latest());
    }
    return admin.listOffsets(specs).all().get().values().stream().mapToLong(r -> r.offset()).sum();
  }

  private static long committed(Admin admin, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return offsets.entrySet().stream()
        .filter(e -> e.getKey().topic().equals("w1-in") && e.getValue() != null)
        .mapToLong(e -> e.getValue().offset())
        .sum();
  }

  private static long count(String url, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
