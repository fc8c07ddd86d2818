package dev.weir.examples.etl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.errors.DeadLetterHeaders;
import dev.weir.testkit.KafkaCluster;
import dev.weir.testkit.WeirKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ETL example on a real broker: exactly-once output and dead letters, read committed. */
// [docs:weir-kafka]
@WeirKafka(brokers = 1)
class OrdersEtlIT {
  @TempDir Path stateDir;

  @Test
  void convertsEveryOrderOnceAndDeadLettersTheRest(KafkaCluster kafka) throws Exception {
    kafka.createTopic("orders", 2);
    kafka.createTopic("orders-eur", 2);
    Properties config = OrdersEtl.config("orders-etl-it", "orders-dlq");
    config.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(WeirConfig.STATE_DIR_CONFIG, stateDir.toString());
    // [/docs:weir-kafka]
    awaitServed(kafka, List.of("orders", "orders-eur"));
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      orders.add(
          "o-" + i + ",c-" + (i % 7) + "," + (i + 1) + ".00," + (i % 2 == 0 ? "EUR" : "USD"));
    }
    orders.add(100, "o-x,c-1,1.00,XYZ");
    orders.add(50, "garbage");
    produce(kafka, "orders", orders);

    try (WeirApplication app =
        new WeirApplication(OrdersEtl.topology("orders", "orders-eur"), config)) {
      app.start();
      List<ConsumerRecord<String, String>> converted = readCommitted(kafka, "orders-eur", 200);
      List<ConsumerRecord<String, String>> dead = readCommitted(kafka, "orders-dlq", 2);

      assertThat(converted).extracting(ConsumerRecord::value).doesNotHaveDuplicates().hasSize(200);
      assertThat(converted)
          .extracting(ConsumerRecord::value)
          .contains("o-1,c-1,1.84", "o-2,c-2,3.00");
      assertThat(dead)
          .extracting(ConsumerRecord::value)
          .containsExactlyInAnyOrder("garbage", "o-x,c-1,1.00,XYZ");
      assertThat(dead)
          .extracting(
              r ->
                  new String(
                      r.headers().lastHeader(DeadLetterHeaders.STAGE).value(),
                      StandardCharsets.UTF_8))
          .containsExactlyInAnyOrder("deserialization", "processing");
      assertThat(app.metricsSnapshot()).containsEntry("records-dead-lettered", 2L);
      assertThat(app.metricsSnapshot().keySet())
          .as("the flat snapshot table of docs/operations.md")
          .containsExactlyInAnyOrderElementsOf(documentedMetrics());
    }
  }

  /**
   * The names in the table under "### The flat snapshot" in docs/operations.md (metricsSnapshot()).
   */
  private static List<String> documentedMetrics() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "operations.md"));
    List<String> names = new ArrayList<>();
    boolean inSection = false;
    for (String line : lines) {
      if (line.startsWith("## ") || line.startsWith("### ")) {
        inSection = line.equals("### The flat snapshot");
      } else if (inSection && line.startsWith("| `")) {
        names.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    return names;
  }

  /** New partitions can be listed before their leader serves writes; ListOffsets proves it does. */
  static void awaitServed(KafkaCluster kafka, List<String> topics) throws Exception {
    Map<TopicPartition, OffsetSpec> all = new HashMap<>();
    for (String t : topics) {
      for (int p = 0; p < 2; p++) {
        all.put(new TopicPartition(t, p), OffsetSpec.latest());
      }
    }
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try {
          admin.listOffsets(all).all().get();
          return;
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
      }
    }
  }

  static void produce(KafkaCluster kafka, String topic, List<String> values) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new StringSerializer())) {
      List<Future<?>> sends = new ArrayList<>();
      for (String v : values) {
        sends.add(producer.send(new ProducerRecord<>(topic, v)));
      }
      for (Future<?> f : sends) {
        f.get();
      }
    }
  }

  private static List<ConsumerRecord<String, String>> readCommitted(
      KafkaCluster kafka, String topic, int expected) {
    return readCommitted(kafka, topic, expected, "orders-etl-it-reader-" + topic);
  }

  /**
   * Reads a topic from the start with {@code read_committed} until {@code expected} records came
   * and the reader is at the end offsets (so a duplicate would have come too), or 60 s passed.
   */
  static List<ConsumerRecord<String, String>> readCommitted(
      KafkaCluster kafka, String topic, int expected, String group) {
    Map<String, Object> config = kafka.clientProperties();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> out = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      // Everything committed up to now: a duplicate would have been committed with the rest.
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      while (System.nanoTime() < deadline
          && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }
}
