package dev.weir.testkit.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The last readiness check of a starting cluster: one transaction that writes a record and commits
 * a consumer offset on a probe topic, which is deleted afterwards. It makes the cluster create the
 * transaction state log and the consumer offsets topic and proves that transaction markers can be
 * written, so the first real transaction or consumer group of a test starts at full speed.
 *
 * <p>The clients are created in the constructor, before the brokers answer: they do not connect
 * until used, and loading their classes overlaps with the brokers' start instead of adding to it.
 */
public final class TransactionProbe implements AutoCloseable {

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private final String topic;
  private final short replication;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ConsumerGroupMetadata group;

  /**
   * Creates the probe's clients without connecting.
   *
   * @param clientProperties {@code bootstrap.servers} and, on a secured cluster, the super user's
   *     security settings
   * @param name unique name used for the topic, the transactional id and the group
   * @param replication replication factor of the probe topic
   * @param maxBlock the longest a probe step may wait for the cluster
   */
  public TransactionProbe(
      Map<String, Object> clientProperties, String name, int replication, Duration maxBlock) {
    this.topic = name;
    this.replication = (short) replication;
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) maxBlock.toMillis());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "weir-testkit-readiness");
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    this.group = groupMetadata(clientProperties, name);
  }

  /**
   * Runs the probe once the brokers are registered.
   *
   * @param admin a client of the cluster
   * @param nodes the cluster's nodes, checked for liveness when the probe fails
   * @param deadline when to give up
   * @throws IllegalStateException when the probe fails or times out
   */
  public void run(Admin admin, Collection<BrokerNode> nodes, Deadline deadline) {
    // Three slow first-time steps overlap: creating the probe topic, creating the consumer offsets
    // topic (a group coordinator lookup does that) and creating the transaction state log (which
    // initTransactions does).
    KafkaFuture<Void> topicCreated =
        admin.createTopics(List.of(new NewTopic(topic, 1, replication))).all();
    KafkaFuture<?> groupCoordinatorFound = admin.listConsumerGroupOffsets(group.groupId()).all();
    try {
      producer.initTransactions();
      ClusterProbe.await(topicCreated, deadline);
      ClusterProbe.awaitLeaders(admin, topic, deadline);
      ClusterProbe.await(groupCoordinatorFound, deadline);
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, null, new byte[0]));
      producer.sendOffsetsToTransaction(
          Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0L)), group);
      producer.commitTransaction();
    } catch (KafkaException e) {
      ClusterProbe.checkAlive(nodes);
      throw new IllegalStateException("a probe transaction failed: " + e, e);
    }
    ClusterProbe.await(admin.deleteTopics(List.of(topic)).all(), deadline);
  }

  /** Closes the probe's producer, waiting at most 2 s (it may have no broker left to talk to). */
  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
  }

  /**
   * The metadata of a consumer group without members, as a consumer that never joined reports it
   * (the public constructors of {@link ConsumerGroupMetadata} are deprecated).
   */
  private static ConsumerGroupMetadata groupMetadata(
      Map<String, Object> clientProperties, String groupId) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "weir-testkit-readiness");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return consumer.groupMetadata();
    }
  }
}
