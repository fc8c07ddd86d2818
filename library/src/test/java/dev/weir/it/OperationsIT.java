package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.ApplicationState;
import dev.weir.ThreadFailureResponse;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Operations on a real broker: offset reset policy, topology fingerprint, production errors. */
class OperationsIT {
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

  /** in ("k:seq") -> out unchanged, one partition: the output order is the input order. */
  private static Topology copy(String in, String out) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic(in, Serdes.String()), "in")
        .sinkTo(KafkaSink.topic(out, Serdes.String()));
    return b.build();
  }

  private static List<String> seqs(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("k0:" + i);
    }
    return out;
  }

  private static void deleteBefore(String topic, long offset) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(offset)))
          .all()
          .get();
    }
  }

  @Test
  void committedOffsetOutOfRangeFollowsTheResetPolicy() throws Exception {
    kafka.createTopic("oor-in", 1);
    kafka.createTopic("oor-out", 1);
    Topology t = copy("oor-in", "oor-out");
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "oor", tmp);
    Pipelines.produce(kafka.bootstrapServers(), "oor-in", 0, 100, 1);
    try (WeirApplication app = new WeirApplication(t, props)) {
      app.start();
      assertThat(
              Pipelines.readCommitted(
                  kafka.bootstrapServers(), "oor-out", 100, Duration.ofSeconds(60)))
          .containsExactlyElementsOf(seqs(0, 100));
    } // committed offset: 100

    // While the application is down, records 100..149 are written and deleted unprocessed.
    Pipelines.produce(kafka.bootstrapServers(), "oor-in", 100, 200, 1);
    deleteBefore("oor-in", 150);
    try (WeirApplication app = new WeirApplication(t, props)) {
      app.start();
      List<String> expected = seqs(0, 100);
      expected.addAll(seqs(150, 200));
      assertThat(
              Pipelines.readCommitted(
                  kafka.bootstrapServers(), "oor-out", 150, Duration.ofSeconds(60)))
          .containsExactlyElementsOf(expected);
      assertThat(app.metricsSnapshot().get("offset-resets")).isEqualTo(1L);
    } // committed offset: 200

    // offset.reset.policy=none: the thread fails and says why and what to do.
    Pipelines.produce(kafka.bootstrapServers(), "oor-in", 200, 300, 1);
    deleteBefore("oor-in", 250);
    props.put(WeirConfig.OFFSET_RESET_POLICY_CONFIG, "none");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (WeirApplication app = new WeirApplication(t, props)) {
      app.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return ThreadFailureResponse.SHUTDOWN_INSTANCE;
          });
      app.start();
      assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.ERROR)).isTrue();
    }
    assertThat(failure.get())
        .hasMessageContaining("the offsets {oor-in-0=200} of input partitions are out of range")
        .hasMessageContaining("offset.reset.policy=none stops here")
        .hasMessageContaining("Set offset.reset.policy=earliest");
  }

  @Test
  void anInstanceWithAnotherTopologyIsRejectedNamingBothFingerprints() {
    kafka.createTopic("fp-in", 2);
    kafka.createTopic("fp-out", 2);
    Properties a = Pipelines.appProps(kafka.bootstrapServers(), "fp", tmp.resolve("a"));
    Properties b = Pipelines.appProps(kafka.bootstrapServers(), "fp", tmp.resolve("b"));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (WeirApplication first = new WeirApplication(Pipelines.keyedEtl("fp-in", "fp-out"), a);
        WeirApplication second =
            new WeirApplication(Pipelines.runningCount("fp-in", "fp-out"), b)) {
      first.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> first.state() == ApplicationState.RUNNING);
      second.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return ThreadFailureResponse.SHUTDOWN_INSTANCE;
          });
      second.start();
      assertThat(second.awaitState(Duration.ofSeconds(60), ApplicationState.ERROR)).isTrue();
      assertThat(failure.get())
          .hasMessageMatching(
              "(?s)This instance of application 'fp' runs topology [0-9a-f]{16} but the group's"
                  + " leader runs topology [0-9a-f]{16}, so the leader gave it no tasks.*stop"
                  + " every instance, then start the new version.*");
      // The first instance keeps all tasks and keeps working.
      Pipelines.produce(kafka.bootstrapServers(), "fp-in", 0, 100, 4);
      assertThat(
              Pipelines.countBySeq(
                      Pipelines.readCommitted(
                          kafka.bootstrapServers(), "fp-out", 100, Duration.ofSeconds(60)))
                  .keySet())
          .hasSize(100);
      assertThat(first.state()).isEqualTo(ApplicationState.RUNNING);
    }
  }

  /** in -> out, but the record "k0:5" becomes a 2 MB value: over the default max.request.size. */
  private static Topology inflating(String in, String out) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic(in, Serdes.String()), "in")
        .map(v -> v.equals("k0:5") ? "x".repeat(2_000_000) : v)
        .name("inflate")
        .sinkTo(KafkaSink.topic(out, Serdes.String()));
    return b.build();
  }

  @Test
  void recordTooLargeIsSkippedUnderExactlyOnceAndTheRestOfTheTransactionCommits() {
    kafka.createTopic("big-in", 1);
    kafka.createTopic("big-out", 1);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "big", tmp);
    props.put(WeirConfig.PRODUCTION_HANDLER_CONFIG, WeirConfig.HANDLER_LOG_AND_SKIP);
    // One commit interval for all ten records, so the skipped one shares their transaction.
    props.put(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, 60_000);
    Pipelines.produce(kafka.bootstrapServers(), "big-in", 0, 10, 1);
    List<String> expected = seqs(0, 10);
    expected.remove("k0:5");
    try (WeirApplication app = new WeirApplication(inflating("big-in", "big-out"), props)) {
      app.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> app.metricsSnapshot().get("records-in") >= 10);
      app.close(Duration.ofSeconds(30)); // the final commit
      assertThat(app.metricsSnapshot().get("production-errors-skipped")).isEqualTo(1L);
      assertThat(app.metricsSnapshot().get("rollbacks")).isZero();
    }
    assertThat(
            Pipelines.readCommitted(kafka.bootstrapServers(), "big-out", 9, Duration.ofSeconds(30)))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void recordTooLargeUnderFailStopsTheThreadOnceWithTheFix() {
    kafka.createTopic("big2-in", 1);
    kafka.createTopic("big2-out", 1);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "big2", tmp);
    Pipelines.produce(kafka.bootstrapServers(), "big2-in", 0, 10, 1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (WeirApplication app = new WeirApplication(inflating("big2-in", "big2-out"), props)) {
      app.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return ThreadFailureResponse.SHUTDOWN_INSTANCE;
          });
      app.start();
      assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.ERROR)).isTrue();
      assertThat(app.metricsSnapshot().get("rollbacks")).isZero();
    }
    assertThat(failure.get())
        .hasMessageContaining("a record for topic big2-out cannot be written")
        .hasMessageContaining("RecordTooLargeException")
        .hasMessageContaining("errors.production.handler=fail stops here")
        .hasMessageContaining("raise producer.max.request.size");
  }
}
