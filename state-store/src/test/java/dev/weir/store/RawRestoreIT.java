package dev.weir.store;

import static dev.weir.store.ChangelogBroker.send;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full restores read with raw fetch requests (design record 030) against a real broker: a changelog
 * with committed and aborted transactions of several producers interleaved in the same partitions,
 * LZ4, gzip and uncompressed batches and tombstones restores to exactly what a restore through the
 * consumer gives (and what the committed writes say; uncompressed batches walked in place, the
 * others decompressed, headers skipped), with small fetches so that transactions span many
 * responses; and a restore whose raw reads fail midway finishes through the consumer from where
 * they stopped, with the same result.
 */
class RawRestoreIT {
  private static final String STORE = "op.s";
  private static final int KEYS = 2_000;
  private static final int PARTITIONS = 2;

  @RegisterExtension static final ChangelogBroker kafka = new ChangelogBroker();

  @TempDir Path dir;

  private static KafkaProducer<byte[], byte[]> producer(String id, String compression) {
    return kafka.transactionalProducer(
        id,
        Map.of(
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            compression,
            ProducerConfig.BATCH_SIZE_CONFIG,
            4096));
  }

  /**
   * Fills the changelog: per round, producer A (LZ4) and producer B (uncompressed) write
   * overlapping keys in open transactions at the same time, then A commits and B aborts; producer C
   * (uncompressed) commits overwrites and tombstones, producer D (gzip) aborts overwrites of every
   * key. Returns the committed state per partition, in changelog order.
   */
  private static Map<Integer, Map<String, String>> fill(String topic) {
    kafka.createChangelog(topic, PARTITIONS);
    Map<Integer, Map<String, String>> expected = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      expected.put(p, new TreeMap<>());
    }
    try (KafkaProducer<byte[], byte[]> a = producer(topic + "-a", "lz4");
        KafkaProducer<byte[], byte[]> b = producer(topic + "-b", "none");
        KafkaProducer<byte[], byte[]> c = producer(topic + "-c", "none");
        KafkaProducer<byte[], byte[]> d = producer(topic + "-d", "gzip")) {
      for (int round = 0; round < 3; round++) {
        a.beginTransaction();
        b.beginTransaction();
        for (int k = 0; k < KEYS; k += 100) {
          for (int p = 0; p < PARTITIONS; p++) {
            for (int i = k; i < k + 100; i++) {
              String key = "k" + i;
              String value = "a" + round + "-" + i + "-" + "x".repeat(i % 50);
              send(a, topic, p, key, value);
              expected.get(p).put(key, value);
              send(b, topic, p, key, "aborted-b" + round);
            }
          }
          a.flush();
          b.flush();
        }
        a.commitTransaction();
        b.abortTransaction();
        c.beginTransaction();
        for (int p = 0; p < PARTITIONS; p++) {
          for (int i = round; i < KEYS; i += 7) {
            String key = "k" + i;
            if (i % 2 == 0) {
              send(c, topic, p, key, null);
              expected.get(p).remove(key);
            } else {
              sendWithHeaders(c, topic, p, key, "c" + round + "-" + i);
              expected.get(p).put(key, "c" + round + "-" + i);
            }
          }
        }
        c.commitTransaction();
        d.beginTransaction();
        for (int p = 0; p < PARTITIONS; p++) {
          for (int i = 0; i < KEYS; i++) {
            send(d, topic, p, "k" + i, i % 3 == 0 ? null : "aborted-d" + round);
            send(d, topic, p, "d-only" + i, "aborted-d" + round);
          }
        }
        d.flush();
        d.abortTransaction();
      }
    }
    return expected;
  }

  /** A record with headers, which the record walk skips. */
  private static void sendWithHeaders(
      KafkaProducer<byte[], byte[]> p, String topic, int partition, String key, String value) {
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            topic,
            partition,
            key.getBytes(UTF_8),
            ChangelogFormat.encodeValue(value.getBytes(UTF_8)));
    r.headers().add("h", ("header of " + key).repeat(3).getBytes(UTF_8)).add("empty", null);
    p.send(r);
  }

  /** Small fetches: transactions and batches span many fetch responses. */
  private static Map<String, Object> consumerConfig() {
    return kafka.restoreConsumerConfig(
        Map.of(
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            16 * 1024,
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
            24 * 1024));
  }

  /** A restore of every partition into fresh stores; the contents and offsets per partition. */
  private record Restored(
      Map<Integer, Map<String, String>> contents,
      Map<Integer, Map<String, Long>> offsets,
      Map<String, RestoreResult> results,
      boolean rawUsed,
      boolean fellBack,
      long walkedInPlace,
      long decompressed) {}

  private Restored restore(String topic, String name, boolean raw, int failAt) {
    ExecutorService writers = Executors.newFixedThreadPool(2);
    Map<String, Object> config = consumerConfig();
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir.resolve(name)));
        KafkaConsumer<byte[], byte[]> consumer = ChangelogBroker.consumer(config)) {
      ChangelogRestorer restorer =
          ChangelogRestorer.create().withBulkLoadThreshold(0).withRawFetch(raw ? config : null);
      Map<Integer, TaskStateStore> states = new HashMap<>();
      Map<String, RestoreResult> results = new TreeMap<>();
      boolean rawUsed;
      boolean fellBack;
      long walkedInPlace;
      long decompressed;
      try (RestoreSession session = restorer.session(consumer, writers)) {
        session.rawReads().failAt = failAt;
        for (int p = 0; p < PARTITIONS; p++) {
          TaskStateStore s = backend.open("0_" + p, List.of(STORE));
          states.put(p, s);
          session.add(s, Map.of(STORE, new TopicPartition(topic, p)));
        }
        results.putAll(ChangelogBroker.drain(session));
        rawUsed = session.rawReads().chunkCount() > 0;
        fellBack = session.rawReads().fellBack();
        walkedInPlace = session.rawReads().walkCounts().inPlace.sum();
        decompressed = session.rawReads().walkCounts().decompressed.sum();
      }
      Map<Integer, Map<String, String>> contents = new TreeMap<>();
      Map<Integer, Map<String, Long>> offsets = new TreeMap<>();
      states.forEach(
          (p, s) -> {
            contents.put(p, ChangelogBroker.contents(s, STORE));
            offsets.put(p, s.committedOffsets());
            s.close();
          });
      return new Restored(
          contents, offsets, results, rawUsed, fellBack, walkedInPlace, decompressed);
    } finally {
      writers.shutdownNow();
    }
  }

  private static Map<Integer, Map<String, Long>> ends(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = ChangelogBroker.consumer(consumerConfig())) {
      Map<Integer, Map<String, Long>> out = new TreeMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        TopicPartition tp = new TopicPartition(topic, p);
        out.put(p, Map.of(tp.toString(), consumer.endOffsets(List.of(tp)).get(tp)));
      }
      return out;
    }
  }

  @Test
  void aRawRestoreEqualsAConsumerRestore() {
    String topic = "raw-equal";
    Map<Integer, Map<String, String>> expected = fill(topic);
    Restored viaConsumer = restore(topic, "consumer", false, 0);
    Restored viaRaw = restore(topic, "raw", true, 0);

    assertThat(viaConsumer.rawUsed()).isFalse();
    assertThat(viaRaw.rawUsed()).isTrue();
    assertThat(viaRaw.fellBack()).isFalse();
    // Uncompressed batches (producer C's, with headers) walked in place into the bulk load's
    // slabs, compressed ones (A's LZ4) through Kafka's decompression; B's and D's are aborted.
    assertThat(viaRaw.walkedInPlace()).isPositive();
    assertThat(viaRaw.decompressed()).isPositive();
    assertThat(viaRaw.walkedInPlace() + viaRaw.decompressed())
        .as("every committed data record, each once")
        .isEqualTo(
            viaRaw.results().values().stream()
                .flatMap(r -> r.restoredRecords().values().stream())
                .mapToLong(Long::longValue)
                .sum());
    assertThat(viaConsumer.contents()).isEqualTo(expected);
    assertThat(viaRaw.contents()).isEqualTo(expected);
    assertThat(viaRaw.offsets()).isEqualTo(viaConsumer.offsets()).isEqualTo(ends(topic));
    for (String task : List.of("0_0", "0_1")) {
      assertThat(viaRaw.results().get(task).restoredRecords())
          .as("the committed data records only")
          .isEqualTo(viaConsumer.results().get(task).restoredRecords());
    }
  }

  @Test
  void aRestoreWhoseRawReadsFailFinishesThroughTheConsumer() {
    String topic = "raw-fallback";
    Map<Integer, Map<String, String>> expected = fill(topic);
    Restored viaConsumer = restore(topic, "consumer", false, 0);
    // The 8th raw fetch fails: the chunks of the earlier ones are applied, the rest is read by
    // the consumer from the offsets they reached.
    Restored fellBack = restore(topic, "fallback", true, 8);

    assertThat(fellBack.rawUsed()).isTrue();
    assertThat(fellBack.fellBack()).isTrue();
    assertThat(fellBack.contents()).isEqualTo(expected).isEqualTo(viaConsumer.contents());
    assertThat(fellBack.offsets()).isEqualTo(ends(topic));
    for (String task : List.of("0_0", "0_1")) {
      assertThat(fellBack.results().get(task).restoredRecords())
          .isEqualTo(viaConsumer.results().get(task).restoredRecords());
    }
  }
}
