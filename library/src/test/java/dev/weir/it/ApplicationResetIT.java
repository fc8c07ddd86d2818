package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.WeirApplication;
import dev.weir.stream.Topology;
import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.tools.ApplicationReset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reset tool on a real broker: a stateful pipeline (repartition topic, changelog, local RocksDB
 * state) reset to a position reprocesses from there, and its output equals that of a first run over
 * the same input, so nothing of the old state, offsets or internal topics survived.
 */
class ApplicationResetIT {
  private static final int KEYS = 4;
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

  /** Runs the tool's command line; returns exit status and output. */
  private static String[] tool(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        ApplicationReset.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {
      Integer.toString(status),
      out.toString(StandardCharsets.UTF_8),
      err.toString(StandardCharsets.UTF_8)
    };
  }

  /** Writes inputs seq in [from, to) as "k(seq % KEYS):seq" with the given record timestamp. */
  private static void produce(String topic, int from, int to, long timestamp) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        String key = "k" + (i % KEYS);
        p.send(new ProducerRecord<>(topic, null, timestamp, key, key + ":" + i));
      }
      p.flush();
    }
  }

  /** The running counts of inputs [from, to) processed from empty state, in no order. */
  private static List<String> expectedCounts(int from, int to) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = from; i < to; i++) {
      String key = "k" + (i % KEYS);
      out.add(key + ":" + i + ":" + counts.merge(key, 1, Integer::sum));
    }
    return out;
  }

  private List<String> runUntil(Topology t, String app, String out, int total) {
    return runUntil(t, app, out, total, dev.weir.store.RestoreListener.noOp());
  }

  private List<String> runUntil(
      Topology t, String app, String out, int total, dev.weir.store.RestoreListener listener) {
    try (WeirApplication a =
        new WeirApplication(t, Pipelines.appProps(kafka.bootstrapServers(), app, tmp))) {
      a.setGlobalStateRestoreListener(listener);
      a.start();
      List<String> seen =
          Pipelines.readCommitted(kafka.bootstrapServers(), out, total, Duration.ofSeconds(60));
      a.close(Duration.ofSeconds(30));
      return seen;
    }
  }

  @Test
  void resetToEarliestReprocessesEverythingFromEmptyState() {
    kafka.createTopic("reset-in", 2);
    kafka.createTopic("reset-out", 2);
    produce("reset-in", 0, 400, System.currentTimeMillis());
    Topology t = Pipelines.runningCount("reset-in", "reset-out");
    List<String> first = runUntil(t, "reset-app", "reset-out", 400);
    assertThat(first).containsExactlyInAnyOrderElementsOf(expectedCounts(0, 400));

    // While an instance runs, the tool refuses and changes nothing.
    try (WeirApplication running =
        new WeirApplication(t, Pipelines.appProps(kafka.bootstrapServers(), "reset-app", tmp))) {
      running.start();
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> running.state() == dev.weir.ApplicationState.RUNNING);
      String[] refused =
          tool("--bootstrap-servers", kafka.bootstrapServers(), "--application-id", "reset-app");
      assertThat(refused[0]).isEqualTo("1");
      org.assertj.core.api.Assertions.assertThatThrownBy(running::cleanUp)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("this instance is RUNNING. Call close() first");
      assertThat(refused[2])
          .contains("Application reset-app has 1 active members")
          .contains("Stop every instance first");
    }

    String[] reset =
        tool(
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--application-id",
            "reset-app",
            "--to-earliest",
            "--state-dir",
            tmp.toString());
    assertThat(reset[0]).as(reset[2]).isEqualTo("0");
    assertThat(reset[1])
        .contains("input reset-in-0 -> offset 0 (earliest)")
        .contains("input reset-in-1 -> offset 0 (earliest)")
        .contains("delete internal topic reset-app-by-key-repartition")
        .contains("-changelog")
        .contains("delete local state");

    // The restore listener sees each task's store restore from the new, empty changelog.
    java.util.Set<String> events = java.util.concurrent.ConcurrentHashMap.newKeySet();
    dev.weir.store.RestoreListener listener =
        new dev.weir.store.RestoreListener() {
          @Override
          public void onStart(
              String store, TopicPartition partition, long startOffset, long endOffset) {
            events.add("start " + partition.partition() + " " + startOffset + ".." + endOffset);
          }

          @Override
          public void onEnd(String store, TopicPartition partition, long restoredCount) {
            events.add("end " + partition.partition() + " " + restoredCount);
          }
        };
    List<String> all = runUntil(t, "reset-app", "reset-out", 800, listener);
    assertThat(events)
        .containsExactlyInAnyOrder("start 0 0..0", "start 1 0..0", "end 0 0", "end 1 0");
    List<String> twice = new ArrayList<>(first);
    twice.addAll(first);
    assertThat(all).containsExactlyInAnyOrderElementsOf(twice);
  }

  @Test
  void resetToADatetimeReprocessesFromThere() {
    kafka.createTopic("ts-in", 2);
    kafka.createTopic("ts-out", 2);
    Instant cut = Instant.parse("2026-01-01T12:00:00Z");
    produce("ts-in", 0, 100, cut.minusSeconds(3600).toEpochMilli());
    produce("ts-in", 100, 300, cut.toEpochMilli());
    Topology t = Pipelines.runningCount("ts-in", "ts-out");
    List<String> first = runUntil(t, "ts-app", "ts-out", 300);
    assertThat(first).containsExactlyInAnyOrderElementsOf(expectedCounts(0, 300));

    String[] reset =
        tool(
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--application-id",
            "ts-app",
            "--to-datetime",
            cut.toString(),
            "--state-dir",
            tmp.toString());
    assertThat(reset[0]).as(reset[2]).isEqualTo("0");

    // The second run sees only the records from `cut` on, from empty state: counts restart at 1.
    List<String> all = runUntil(t, "ts-app", "ts-out", 500);
    List<String> expected = new ArrayList<>(first);
    expected.addAll(expectedCounts(100, 300));
    assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
  }
}
