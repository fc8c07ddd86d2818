package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.errors.WeirException;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start whose topic set-up fails, on a real broker: the stream threads start while the set-up
 * runs (design record 031), yet start() still throws the set-up's error, the instance ends in
 * ERROR, and nothing was processed, written or committed: every output and internal topic is empty
 * and the group has no committed offset.
 */
class StartUpIT {
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
  void changelogWithTheWrongPartitionCountFailsTheStartWithNothingWritten() throws Exception {
    String app = "wrong-changelog";
    kafka.createTopic(app + "-in", 4);
    kafka.createTopic(app + "-out", 4);
    // Left by an earlier run with other input partition counts: 2 partitions for 4 tasks.
    kafka.createTopic(app + "-counter-changelog", 2);
    Pipelines.produce(kafka.bootstrapServers(), app + "-in", 0, 200, 10);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), app, tmp);
    props.put(WeirConfig.PROCESSING_GUARANTEE_CONFIG, WeirConfig.EXACTLY_ONCE_V2);
    props.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 2);
    try (WeirApplication instance =
        new WeirApplication(Pipelines.runningCount(app + "-in", app + "-out"), props)) {
      assertThatThrownBy(instance::start)
          .isInstanceOf(WeirException.class)
          .hasMessage(
              "Changelog topic "
                  + app
                  + "-counter-changelog has 2 partitions but its operator runs 4 tasks; each"
                  + " task's state lives in the partition of the same number. Were the input"
                  + " topics' partition counts changed? Reset the application (delete its"
                  + " internal topics and local state) or restore the partition counts.");
      assertThat(instance.state()).isEqualTo(ApplicationState.ERROR);
    }
    assertNothingWritten(
        app,
        Map.of(app + "-out", 4, app + "-by-key-repartition", 4, app + "-counter-changelog", 2));
  }

  @Test
  void missingSourceTopicFailsTheStartWithNothingWritten() throws Exception {
    String app = "no-source";
    kafka.createTopic(app + "-out", 4);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), app, tmp);
    props.put(WeirConfig.PROCESSING_GUARANTEE_CONFIG, WeirConfig.EXACTLY_ONCE_V2);
    try (WeirApplication instance =
        new WeirApplication(Pipelines.runningCount(app + "-in", app + "-out"), props)) {
      assertThatThrownBy(instance::start)
          .isInstanceOf(WeirException.class)
          .hasMessage(
              "Topics ["
                  + app
                  + "-in] do not exist. Weir creates only its internal topics; create sources"
                  + " and sinks first (kafka-topics.sh --create ...).");
      assertThat(instance.state()).isEqualTo(ApplicationState.ERROR);
    }
    assertNothingWritten(app, Map.of(app + "-out", 4));
    try (Admin admin = admin()) {
      // Nothing internal was created either: the user topics are checked first.
      assertThat(admin.listTopics().names().get())
          .noneMatch(t -> t.startsWith(app + "-") && !t.equals(app + "-out"));
    }
  }

  /** Every partition of the topics ends at offset 0 (not even an aborted write), no commit. */
  private static void assertNothingWritten(String app, Map<String, Integer> topics)
      throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      topics.forEach(
          (topic, partitions) -> {
            for (int p = 0; p < partitions; p++) {
              latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
          });
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get();
      assertThat(ends).hasSize(latest.size());
      ends.forEach((tp, info) -> assertThat(info.offset()).as("end of %s", tp).isZero());
      assertThat(admin.listConsumerGroupOffsets(app).partitionsToOffsetAndMetadata().get())
          .isEmpty();
    }
  }

  private static Admin admin() {
    return Admin.create(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers()));
  }
}
