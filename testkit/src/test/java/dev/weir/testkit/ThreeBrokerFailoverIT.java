package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three nodes, a topic replicated three times, a node killed and restarted in the middle of a
 * stream of transactions: everything committed is read back exactly once, and the node rejoins.
 */
class ThreeBrokerFailoverIT {

  private static final String TOPIC = "failover";
  private static final int BATCH = 20;
  private static final int VICTIM = 1;
  private static EmbeddedKafkaCluster kafka;

  @BeforeAll
  static void startCluster() {
    kafka = EmbeddedKafkaCluster.start(3);
  }

  @AfterAll
  static void stopCluster() {
    kafka.close();
  }

  @Test
  void committedRecordsSurviveAKilledAndRestartedBrokerExactlyOnce() throws Exception {
    assertThat(brokerIds()).containsExactlyInAnyOrder(0, 1, 2);
    kafka.createTopic(TOPIC, 3);
    assertThat(replicaCounts()).containsOnly(3);

    List<String> committed = new ArrayList<>();
    Map<String, Object> config = kafka.clientProperties();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "failover-writer");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      int batch = 0;
      for (; batch < 5; batch++) {
        committed.addAll(commitBatch(producer, batch));
      }

      long victimPid = kafka.brokerPid(VICTIM);
      kafka.killBroker(VICTIM);
      assertThat(ProcessHandle.of(victimPid)).isEmpty();
      assertThat(kafka.isBrokerRunning(VICTIM)).isFalse();
      for (; batch < 10; batch++) {
        committed.addAll(commitBatch(producer, batch));
      }

      kafka.restartBroker(VICTIM);
      assertThat(brokerIds()).containsExactlyInAnyOrder(0, 1, 2);
      for (; batch < 15; batch++) {
        committed.addAll(commitBatch(producer, batch));
      }
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(inSyncCounts()).containsOnly(3));
    List<String> read = TopicReader.readAll(kafka, TOPIC, IsolationLevel.READ_COMMITTED);
    assertThat(read).hasSize(15 * BATCH).doesNotHaveDuplicates();
    assertThat(read).containsExactlyInAnyOrderElementsOf(committed);
  }

  private static List<String> commitBatch(KafkaProducer<String, String> producer, int batch) {
    List<String> values = new ArrayList<>();
    producer.beginTransaction();
    for (int i = 0; i < BATCH; i++) {
      String value = batch + "-" + i;
      producer.send(new ProducerRecord<>(TOPIC, Integer.toString(i), value));
      values.add(value);
    }
    producer.commitTransaction();
    return values;
  }

  private static Set<Integer> brokerIds() throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      return admin.describeCluster().nodes().get().stream()
          .map(Node::id)
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  private static List<Integer> replicaCounts() throws Exception {
    return describe().partitions().stream().map(p -> p.replicas().size()).toList();
  }

  private static List<Integer> inSyncCounts() throws Exception {
    return describe().partitions().stream().map(TopicPartitionInfo::isr).map(List::size).toList();
  }

  private static TopicDescription describe() throws Exception {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      return admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC);
    }
  }
}
