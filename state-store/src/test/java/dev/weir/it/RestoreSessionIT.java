package dev.weir.it;

import static dev.weir.store.ChangelogBroker.drain;
import static dev.weir.store.ChangelogBroker.send;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.ChangelogBroker;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.ChangelogRestorer;
import dev.weir.store.RestoreListener;
import dev.weir.store.RestoreResult;
import dev.weir.store.RestoreSession;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateFormatException;
import dev.weir.store.TaskStateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RestoreSession} against a real broker: several tasks restored at once by a writer pool,
 * with committed and aborted transactions and tombstones in their changelogs; a task removed midway
 * (while its batches are applied, or while a bulk load's chunk is read) resumes from what was
 * applied; a record Weir did not write fails its task with its position.
 */
class RestoreSessionIT {
  private static final String STORE = "op.s";
  private static final int KEYS = 3_000;
  private static final int TASKS = 3;

  @RegisterExtension static final ChangelogBroker kafka = new ChangelogBroker();

  @TempDir Path dir;

  /**
   * Writes, per partition: every key (committed), an aborted transaction overwriting them, then a
   * committed transaction that overwrites every third key and deletes every fifth. Returns the
   * expected store content per partition.
   */
  private static Map<Integer, Map<String, String>> fill(String topic) {
    kafka.createChangelog(topic, TASKS);
    Map<Integer, Map<String, String>> expected = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> p =
        kafka.transactionalProducer(topic + "-writer", Map.of())) {
      for (int partition = 0; partition < TASKS; partition++) {
        Map<String, String> state = new TreeMap<>();
        p.beginTransaction();
        for (int k = 0; k < KEYS; k++) {
          send(p, topic, partition, "k" + k, "v1-" + k);
          state.put("k" + k, "v1-" + k);
        }
        p.commitTransaction();
        p.beginTransaction();
        for (int k = 0; k < KEYS; k++) {
          send(p, topic, partition, "k" + k, "aborted");
        }
        p.flush();
        p.abortTransaction();
        p.beginTransaction();
        for (int k = 0; k < KEYS; k++) {
          if (k % 5 == 0) {
            send(p, topic, partition, "k" + k, null);
            state.remove("k" + k);
          } else if (k % 3 == 0) {
            send(p, topic, partition, "k" + k, "v2-" + k);
            state.put("k" + k, "v2-" + k);
          }
        }
        p.commitTransaction();
        expected.put(partition, state);
      }
    }
    return expected;
  }

  private static KafkaConsumer<byte[], byte[]> restoreConsumer() {
    return ChangelogBroker.consumer(
        kafka.restoreConsumerConfig(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500)));
  }

  private static Map<String, String> contents(TaskStateStore state) {
    return ChangelogBroker.contents(state, STORE);
  }

  private static Map<String, TopicPartition> changelog(String topic, int partition) {
    return Map.of(STORE, new TopicPartition(topic, partition));
  }

  /**
   * Reopens task {@code 0_<partition>}, whose state an earlier restore left at offset {@code
   * firstPart}, restores it with {@code restorer} and asserts that only the rest was read, the
   * content is {@code expected} and the offset is the changelog's end.
   */
  private static void resumesToTheEnd(
      StateBackend backend,
      KafkaConsumer<byte[], byte[]> consumer,
      ChangelogRestorer restorer,
      String topic,
      int partition,
      long firstPart,
      Map<String, String> expected) {
    TopicPartition tp = new TopicPartition(topic, partition);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    TaskStateStore reopened = backend.open("0_" + partition, List.of(STORE));
    RestoreResult rest = restorer.restore(consumer, reopened, changelog(topic, partition));
    assertThat(contents(reopened)).isEqualTo(expected);
    assertThat(rest.restoredRecords().get(STORE))
        .as("only what the first restore did not apply")
        .isLessThan(end - firstPart + 1);
    assertThat(reopened.committedOffsets()).containsEntry(tp.toString(), end);
    reopened.close();
  }

  @Test
  void restoresSeveralTasksAtOnceWithWriterThreads() {
    String topic = "restore-parallel";
    Map<Integer, Map<String, String>> expected = fill(topic);
    ExecutorService writers = Executors.newFixedThreadPool(2);
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
        KafkaConsumer<byte[], byte[]> consumer = restoreConsumer()) {
      List<TaskStateStore> states =
          List.of(
              backend.open("0_0", List.of(STORE)),
              backend.open("0_1", List.of(STORE)),
              backend.open("0_2", List.of(STORE)));
      Map<String, RestoreResult> results;
      try (RestoreSession session =
          ChangelogRestorer.create().withBatchSize(700).session(consumer, writers)) {
        for (int p = 0; p < TASKS; p++) {
          session.add(states.get(p), changelog(topic, p));
        }
        results = drain(session);
      }
      assertThat(results).containsOnlyKeys("0_0", "0_1", "0_2");
      long committedRecords = KEYS + (KEYS / 5 + KEYS / 3 - KEYS / 15 + (KEYS % 15 == 0 ? 0 : 1));
      for (int p = 0; p < TASKS; p++) {
        TaskStateStore state = states.get(p);
        assertThat(contents(state)).isEqualTo(expected.get(p));
        assertThat(results.get("0_" + p).restoredRecords().get(STORE))
            .as("committed records only; the aborted transaction is skipped")
            .isEqualTo(committedRecords);
        long end =
            consumer.endOffsets(List.of(new TopicPartition(topic, p))).values().iterator().next();
        assertThat(state.committedOffsets()).containsEntry(topic + "-" + p, end);
        state.close();
      }
      assertThat(consumer.assignment()).isEmpty();
    } finally {
      writers.shutdownNow();
    }
  }

  @Test
  void aRemovedTaskKeepsWhatWasAppliedAndResumesFromThere() {
    String topic = "restore-resume";
    Map<Integer, Map<String, String>> expected = fill(topic);
    ExecutorService writers = Executors.newFixedThreadPool(2);
    AtomicInteger batches = new AtomicInteger();
    ChangelogRestorer restorer =
        ChangelogRestorer.create()
            .withBatchSize(200)
            .withListener(
                new RestoreListener() {
                  @Override
                  public void onBatch(String store, TopicPartition tp, long done, long total) {
                    batches.incrementAndGet();
                  }
                });
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
        KafkaConsumer<byte[], byte[]> consumer = restoreConsumer()) {
      TaskStateStore state = backend.open("0_1", List.of(STORE));
      long firstPart;
      try (RestoreSession session = restorer.session(consumer, writers)) {
        session.add(state, changelog(topic, 1));
        // Poll until a batch was applied, then take the task away (a rebalance revoked it). The
        // state belongs to the session meanwhile, so the test watches the listener, not the state.
        while (batches.get() == 0) {
          assertThat(session.poll(Duration.ofMillis(100))).isEmpty();
        }
        session.remove("0_1");
        assertThat(session.isEmpty()).isTrue();
        firstPart = state.committedOffsets().get(topic + "-1");
      }
      long end =
          consumer.endOffsets(List.of(new TopicPartition(topic, 1))).values().iterator().next();
      assertThat(firstPart).isGreaterThan(0).isLessThan(end);
      state.close();

      resumesToTheEnd(backend, consumer, restorer, topic, 1, firstPart, expected.get(1));
    } finally {
      writers.shutdownNow();
    }
  }

  @Test
  void aTaskRemovedDuringABulkLoadIngestsWhatWasReadAndABatchRestoreResumesIt() {
    String topic = "restore-bulk-resume";
    Map<Integer, Map<String, String>> expected = fill(topic);
    TopicPartition tp = new TopicPartition(topic, 2);
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
        KafkaConsumer<byte[], byte[]> consumer = restoreConsumer()) {
      TaskStateStore state = backend.open("0_2", List.of(STORE));
      long firstPart;
      // Every restore is a bulk load; without writer threads the records one poll returns (at
      // most 500 here) are added to the chunk on this thread, so the first poll that moves the
      // consumer's position leaves the chunk partly read, far from the 64 MiB at which it would
      // be ingested.
      try (RestoreSession session =
          ChangelogRestorer.create().withBulkLoadThreshold(0).session(consumer, null)) {
        session.add(state, changelog(topic, 2));
        do {
          assertThat(session.poll(Duration.ofMillis(100))).isEmpty();
        } while (!consumer.assignment().contains(tp) || consumer.position(tp) == 0);
        session.remove("0_2");
        assertThat(session.isEmpty()).isTrue();
        firstPart = state.committedOffsets().get(topic + "-2");
      }
      assertThat(firstPart)
          .as("the removal ingests the partial chunk with the offset it reaches")
          .isGreaterThan(0)
          .isLessThanOrEqualTo(500);
      Map<String, String> prefix = new TreeMap<>();
      for (int k = 0; k < firstPart; k++) {
        prefix.put("k" + k, "v1-" + k);
      }
      assertThat(contents(state)).isEqualTo(prefix);
      state.close();

      resumesToTheEnd(
          backend,
          consumer,
          ChangelogRestorer.create().withBulkLoadThreshold(-1),
          topic,
          2,
          firstPart,
          expected.get(2));
    }
  }

  @Test
  void aRecordWeirDidNotWriteFailsItsTaskNamingThePosition() {
    String topic = "restore-foreign";
    kafka.createChangelog(topic, 1);
    try (KafkaProducer<byte[], byte[]> p = kafka.producer(Map.of())) {
      p.send(
          new ProducerRecord<>(
              topic, 0, "a".getBytes(UTF_8), ChangelogFormat.encodeValue(new byte[] {1})));
      p.send(new ProducerRecord<>(topic, 0, "b".getBytes(UTF_8), new byte[] {(byte) 0x7f, 1}));
      p.flush();
    }
    ExecutorService writers = Executors.newSingleThreadExecutor();
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
        KafkaConsumer<byte[], byte[]> consumer = restoreConsumer();
        TaskStateStore state = backend.open("0_0", List.of(STORE));
        RestoreSession session = ChangelogRestorer.create().session(consumer, writers)) {
      session.add(state, changelog(topic, 0));
      assertThatThrownBy(() -> drain(session))
          .isInstanceOf(StateFormatException.class)
          .hasMessageContaining("offset 1 of " + topic + "-0")
          .hasMessageContaining("version 0x7f");
      assertThat(session.taskIds()).containsExactly("0_0");
      session.remove("0_0");
    } finally {
      writers.shutdownNow();
    }
  }
}
