package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tombstone resurrection, reproduced: instance A counts key K and stops, keeping its local state;
 * instance B takes the task over and deletes K; log compaction then removes the tombstone (the
 * changelog has a 1 ms {@code delete.retention.ms}); A comes back to its old local state. Restoring
 * only the changelog tail past A's local offset would never see the delete and K would count on
 * from 1. The stale-state guard must wipe A's state and restore from the beginning, so K starts
 * over. A restart of A with nothing written since must, however, keep its local state.
 */
class StaleStateIT {
  private static final String APP = "stale";
  private static final String IN = "stale-in";
  private static final String OUT = "stale-out";
  private static final String CHANGELOG = APP + "-tracker-changelog";

  @TempDir Path tmp;

  /** in "key:+" counts the key, "key:x" deletes its count; out "key=count" or "key=deleted". */
  static Topology tracker() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic(IN, Serdes.String()), "in")
        .keyBy(v -> v.substring(0, v.indexOf(':')), Serdes.String())
        .process(new Tracker())
        .uid("tracker")
        .sinkTo(
            KafkaSink.topic(OUT, Serdes.String())
                .withKey(v -> v.substring(0, v.indexOf('=')), Serdes.String()));
    return b.build();
  }

  /** Counts per key; "x" deletes the key's state. */
  static final class Tracker extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Long> count;

    @Override
    public void open() {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long()));
    }

    @Override
    public void processElement(String value, Context ctx, Collector<String> out) {
      String key = ctx.getCurrentKey();
      if (value.endsWith(":x")) {
        count.clear();
        out.collect(key + "=deleted");
      } else {
        Long n = count.value();
        long next = n == null ? 1 : n + 1;
        count.update(next);
        out.collect(key + "=" + next);
      }
    }
  }

  @Test
  void oldLocalStateDoesNotBringACompactedDeleteBack() throws Exception {
    try (EmbeddedKafkaCluster kafka =
        EmbeddedKafkaCluster.builder()
            .brokers(1)
            // The cleaner looks for work every 100 ms instead of every 15 s.
            .brokerProperty("log.cleaner.backoff.ms", "100")
            .start()) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic(IN, 1);
      kafka.createTopic(OUT, 1);
      // Created before Weir would, with settings that let compaction remove a tombstone within
      // moments: segments roll after 100 ms, every dirty byte is worth cleaning, and tombstones
      // are kept for 1 ms after their first cleaning.
      kafka.createTopic(
          CHANGELOG,
          1,
          Map.of(
              TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
              TopicConfig.DELETE_RETENTION_MS_CONFIG, "1",
              TopicConfig.SEGMENT_MS_CONFIG, "100",
              TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0",
              TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0"));
      try (Outputs outputs = new Outputs(bs);
          KafkaProducer<String, String> input = producer(bs)) {
        Path stateA = tmp.resolve("a");

        try (WeirApplication a = start(bs, stateA)) {
          send(input, "K:+");
          outputs.awaitKey("K", 1);
          assertThat(a.metricsSnapshot()).containsEntry("state-wiped-stale", 0L);
        }
        try (WeirApplication a = start(bs, stateA)) {
          // Nothing was written since A stopped: its local state is current, however old.
          assertThat(a.metricsSnapshot()).containsEntry("state-wiped-stale", 0L);
          assertThat(a.metricsSnapshot()).containsEntry("state-restored-records", 0L);
        }

        byte[] deletedKey;
        try (WeirApplication b = start(bs, tmp.resolve("b"))) {
          assertThat(b.metricsSnapshot().get("state-restored-records")).as("K=1").isEqualTo(1L);
          send(input, "K:x");
          outputs.awaitKey("K", 2);
          deletedKey = awaitTombstone(bs);
          // More commits roll segments and make the log dirty, so the cleaner runs again and,
          // past the tombstone's delete horizon, removes it.
          int[] fillers = {0};
          await()
              .atMost(Duration.ofSeconds(120))
              .until(
                  () -> {
                    send(input, "F:+");
                    outputs.awaitKey("F", ++fillers[0]);
                    return !changelogHolds(bs, deletedKey);
                  });
        }

        long wiped;
        try (WeirApplication a = start(bs, stateA)) {
          wiped = a.metricsSnapshot().get("state-wiped-stale");
          send(input, "K:+");
          outputs.awaitKey("K", 3);
        }
        assertThat(outputs.ofKey("K"))
            .as("K was deleted, so it counts from 1 again; K=2 would be its resurrection")
            .containsExactly("K=1", "K=deleted", "K=1");
        assertThat(wiped).isEqualTo(1);
      }
    }
  }

  private WeirApplication start(String bootstrap, Path stateDir) {
    WeirApplication app =
        new WeirApplication(tracker(), Pipelines.appProps(bootstrap, APP, stateDir));
    app.start();
    assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.RUNNING)).isTrue();
    return app;
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(c, new StringSerializer(), new StringSerializer());
  }

  private static void send(KafkaProducer<String, String> producer, String value) {
    producer.send(new ProducerRecord<>(IN, value.substring(0, value.indexOf(':')), value));
    producer.flush();
  }

  /** Waits for the tombstone of the delete in the changelog and returns its key. */
  private static byte[] awaitTombstone(String bootstrap) {
    byte[][] key = {null};
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (ConsumerRecord<byte[], byte[]> r : readChangelog(bootstrap)) {
                if (r.value() == null) {
                  key[0] = r.key();
                  return true;
                }
              }
              return false;
            });
    return key[0];
  }

  private static boolean changelogHolds(String bootstrap, byte[] key) {
    return readChangelog(bootstrap).stream().anyMatch(r -> Arrays.equals(r.key(), key));
  }

  /** Every record the changelog holds now, committed or not. */
  private static List<ConsumerRecord<byte[], byte[]>> readChangelog(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(CHANGELOG, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  /** The output topic, read (read_committed) from its beginning as it grows. */
  private static final class Outputs implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<String> values = new ArrayList<>();

    Outputs(String bootstrap) {
      Map<String, Object> c = new HashMap<>();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
      TopicPartition tp = new TopicPartition(OUT, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
    }

    /** Waits until the output holds {@code count} values of {@code key}. */
    void awaitKey(String key, int count) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> values.add(r.value()));
                return ofKey(key).size() >= count;
              });
    }

    List<String> ofKey(String key) {
      return values.stream().filter(v -> v.startsWith(key + "=")).toList();
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
