package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.errors.DeadLetterHeaders;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime on a real broker: repartition, exactly-once, scaling, dead letters. */
class RuntimeIT {
  private static EmbeddedKafkaCluster kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafkaCluster.start(1);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void multiStagePipelineWithRepartitionIsExactlyOnce() {
    kafka.createTopic("etl-in", 4);
    kafka.createTopic("etl-out", 4);
    Pipelines.produce(kafka.bootstrapServers(), "etl-in", 0, 5_000, 50);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "etl", tmp.resolve("a"));
    props.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 2);
    props.put(WeirConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, 500);
    try (WeirApplication app =
        new WeirApplication(Pipelines.keyedEtl("etl-in", "etl-out"), props)) {
      app.start();
      List<String> out =
          Pipelines.readCommitted(
              kafka.bootstrapServers(), "etl-out", 5_000, Duration.ofSeconds(60));
      Map<Integer, Integer> counts = Pipelines.countBySeq(out);
      assertThat(counts).hasSize(5_000);
      assertThat(counts.values()).allMatch(c -> c == 1);
      assertThat(out).allMatch(v -> v.endsWith(":tagged"));
      assertThat(app.awaitState(Duration.ofSeconds(30), ApplicationState.RUNNING)).isTrue();
      // Under cooperative rebalancing a task moving to the second thread is revoked in one
      // rebalance and assigned in the follow-up one; in between the instance reports RUNNING with
      // the moving tasks on no thread, so the count converges to 8 rather than being 8 at once.
      await().atMost(Duration.ofSeconds(30)).until(() -> app.metricsSnapshot().get("tasks") == 8L);
      // Consumed and committed repartition records are deleted: the topic does not grow forever.
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (int p = 0; p < 4; p++) {
          earliest.put(new TopicPartition("etl-by-key-repartition", p), OffsetSpec.earliest());
        }
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    admin.listOffsets(earliest).all().get().values().stream()
                        .allMatch(info -> info.offset() > 0));
      }
    }
  }

  @Test
  void instancesJoinAndLeaveWithoutLossOrDuplicates() {
    kafka.createTopic("scale-in", 4);
    kafka.createTopic("scale-out", 4);
    var topology = Pipelines.keyedEtl("scale-in", "scale-out");
    WeirApplication a =
        new WeirApplication(
            topology, Pipelines.appProps(kafka.bootstrapServers(), "scale", tmp.resolve("a")));
    WeirApplication b =
        new WeirApplication(
            topology, Pipelines.appProps(kafka.bootstrapServers(), "scale", tmp.resolve("b")));
    try {
      a.start();
      Pipelines.produce(kafka.bootstrapServers(), "scale-in", 0, 2_000, 40);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> a.metricsSnapshot().get("records-out") >= 1_000);
      b.start();
      Pipelines.produce(kafka.bootstrapServers(), "scale-in", 2_000, 4_000, 40);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> b.state() == ApplicationState.RUNNING && b.metricsSnapshot().get("tasks") > 0);
      a.close(Duration.ofSeconds(30));
      Pipelines.produce(kafka.bootstrapServers(), "scale-in", 4_000, 6_000, 40);
      List<String> out =
          Pipelines.readCommitted(
              kafka.bootstrapServers(), "scale-out", 6_000, Duration.ofSeconds(90));
      Map<Integer, Integer> counts = Pipelines.countBySeq(out);
      assertThat(counts).hasSize(6_000);
      assertThat(counts.values()).allMatch(c -> c == 1);
      assertThat(b.metricsSnapshot().get("tasks")).isEqualTo(8L);
    } finally {
      a.close(Duration.ofSeconds(30));
      b.close(Duration.ofSeconds(30));
    }
  }

  @Test
  void poisonRecordGoesToTheDeadLetterTopicAndNothingIsLost() throws Exception {
    kafka.createTopic("dlq-in", 1);
    kafka.createTopic("dlq-out", 1);
    StreamBuilder sb = new StreamBuilder();
    sb.fromSource(KafkaSource.topic("dlq-in", Serdes.String()), "numbers")
        .map(Integer::parseInt)
        .name("parse")
        .map(i -> Integer.toString(i * 10))
        .sinkTo(KafkaSink.topic("dlq-out", Serdes.String()));
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "dlq-app", tmp.resolve("d"));
    props.put(WeirConfig.PROCESSING_HANDLER_CONFIG, WeirConfig.HANDLER_DEAD_LETTER);
    try (var p =
        new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
            Map.of("bootstrap.servers", kafka.bootstrapServers()),
            new org.apache.kafka.common.serialization.StringSerializer(),
            new org.apache.kafka.common.serialization.StringSerializer())) {
      p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("dlq-in", "1"));
      p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("dlq-in", "poison"));
      p.send(new org.apache.kafka.clients.producer.ProducerRecord<>("dlq-in", "3"));
    }
    try (WeirApplication app = new WeirApplication(sb.build(), props)) {
      app.start();
      List<String> out =
          Pipelines.readCommitted(kafka.bootstrapServers(), "dlq-out", 2, Duration.ofSeconds(60));
      assertThat(out).containsExactly("10", "30");
      Map<String, Object> c = new HashMap<>();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader");
      try (KafkaConsumer<byte[], byte[]> dlq =
          new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        dlq.subscribe(List.of("dlq-app-dlq"));
        List<ConsumerRecord<byte[], byte[]>> got = new java.util.ArrayList<>();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  dlq.poll(Duration.ofMillis(200)).forEach(got::add);
                  return !got.isEmpty();
                });
        ConsumerRecord<byte[], byte[]> r = got.get(0);
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("poison");
        assertThat(
                new String(
                    r.headers().lastHeader(DeadLetterHeaders.OPERATOR).value(),
                    StandardCharsets.UTF_8))
            .isEqualTo("parse");
        assertThat(
                new String(
                    r.headers().lastHeader(DeadLetterHeaders.OFFSET).value(),
                    StandardCharsets.UTF_8))
            .isEqualTo("1");
      }
      assertThat(app.metricsSnapshot().get("records-dead-lettered")).isEqualTo(1L);
    }
  }

  @Test
  void aThreadFailureWithShutdownApplicationStopsEveryInstance() {
    kafka.createTopic("stop-in", 4);
    kafka.createTopic("stop-out", 4);
    Properties a = Pipelines.appProps(kafka.bootstrapServers(), "stop", tmp.resolve("a"));
    Properties b = Pipelines.appProps(kafka.bootstrapServers(), "stop", tmp.resolve("b"));
    for (Properties p : List.of(a, b)) {
      p.put(WeirConfig.THREAD_FAILURE_POLICY_CONFIG, "shutdown_application");
    }
    StreamBuilder builder = new StreamBuilder();
    builder
        .fromSource(KafkaSource.topic("stop-in", Serdes.String()), "in")
        .map(
            v -> {
              if (v.equals("poison")) {
                throw new IllegalArgumentException("cannot handle " + v);
              }
              return v;
            })
        .name("strict")
        .sinkTo(KafkaSink.topic("stop-out", Serdes.String()));
    var topology = builder.build();
    try (WeirApplication first = new WeirApplication(topology, a);
        WeirApplication second = new WeirApplication(topology, b)) {
      first.start();
      second.start();
      assertThat(first.awaitState(Duration.ofSeconds(60), ApplicationState.RUNNING)).isTrue();
      assertThat(second.awaitState(Duration.ofSeconds(60), ApplicationState.RUNNING)).isTrue();
      Pipelines.produce(kafka.bootstrapServers(), "stop-in", 0, 100, 10);
      try (var producer =
          new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
              Map.of("bootstrap.servers", kafka.bootstrapServers()),
              new org.apache.kafka.common.serialization.StringSerializer(),
              new org.apache.kafka.common.serialization.StringSerializer())) {
        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("stop-in", "poison"));
      }
      // Whichever instance reads the poison record fails with the default handler (fail) and asks
      // the group to stop: both instances end in ERROR, neither keeps running.
      assertThat(first.awaitState(Duration.ofSeconds(90), ApplicationState.ERROR)).isTrue();
      assertThat(second.awaitState(Duration.ofSeconds(90), ApplicationState.ERROR)).isTrue();
    }
  }
}
