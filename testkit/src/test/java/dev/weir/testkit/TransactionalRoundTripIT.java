package dev.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Transactions on the real broker: committed records are visible, aborted ones are not. */
@WeirKafka(brokers = 1, shared = true)
class TransactionalRoundTripIT {

  @Test
  void readCommittedSeesCommittedTransactionsOnlyAndReadUncommittedSeesAll(KafkaCluster kafka) {
    kafka.createTopic("round-trip", 2);

    Map<String, Object> config = kafka.clientProperties();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "round-trip-writer");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      transaction(producer, List.of("c1", "c2", "c3"));
      producer.commitTransaction();
      transaction(producer, List.of("a1", "a2"));
      producer.flush(); // the aborted records really reach the log
      producer.abortTransaction();
      transaction(producer, List.of("c4"));
      producer.commitTransaction();
    }

    assertThat(TopicReader.readAll(kafka, "round-trip", IsolationLevel.READ_COMMITTED))
        .containsExactlyInAnyOrder("c1", "c2", "c3", "c4");
    assertThat(TopicReader.readAll(kafka, "round-trip", IsolationLevel.READ_UNCOMMITTED))
        .containsExactlyInAnyOrder("c1", "c2", "c3", "a1", "a2", "c4");
  }

  private static void transaction(KafkaProducer<String, String> producer, List<String> values) {
    producer.beginTransaction();
    for (String value : values) {
      producer.send(new ProducerRecord<>("round-trip", value, value));
    }
  }
}
