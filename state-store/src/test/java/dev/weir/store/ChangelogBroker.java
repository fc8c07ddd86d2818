package dev.weir.store;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.weir.testkit.EmbeddedKafkaCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A one-broker cluster for the restore ITs, started before a test class's tests and closed after
 * them, with what they need to write changelogs and read them back: compacted topics, producers of
 * records in {@link ChangelogFormat}, read_committed consumers, a store's contents and a session
 * polled to its end.
 *
 * <pre>{@code
 * @RegisterExtension static final ChangelogBroker kafka = new ChangelogBroker();
 * }</pre>
 *
 * <p>Public for {@code dev.weir.it.RestoreSessionIT}, which tests the restore from outside the
 * package; {@code RawRestoreIT} uses it from inside.
 */
public final class ChangelogBroker implements BeforeAllCallback, AfterAllCallback {
  private EmbeddedKafkaCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = EmbeddedKafkaCluster.start(1);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    cluster.close();
    cluster = null;
  }

  /**
   * Creates a compacted topic, as changelogs are.
   *
   * @param topic the topic's name
   * @param partitions its partition count
   */
  public void createChangelog(String topic, int partitions) {
    cluster.createTopic(topic, partitions, Map.of("cleanup.policy", "compact"));
  }

  /**
   * Returns a byte-array producer.
   *
   * @param settings producer settings on top of the cluster's client properties
   * @return the producer, which the caller closes
   */
  public KafkaProducer<byte[], byte[]> producer(Map<String, Object> settings) {
    Map<String, Object> props = new HashMap<>(cluster.clientProperties());
    props.putAll(settings);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Returns a byte-array producer with transactions initialised.
   *
   * @param transactionalId its transactional id
   * @param settings producer settings on top of the cluster's client properties
   * @return the producer, which the caller closes
   */
  public KafkaProducer<byte[], byte[]> transactionalProducer(
      String transactionalId, Map<String, Object> settings) {
    Map<String, Object> props = new HashMap<>(settings);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    KafkaProducer<byte[], byte[]> p = producer(props);
    p.initTransactions();
    return p;
  }

  /**
   * Sends a changelog record: a value in {@link ChangelogFormat}, or a tombstone.
   *
   * @param value the value's payload, or null for a tombstone
   */
  public static void send(
      KafkaProducer<byte[], byte[]> p, String topic, int partition, String key, String value) {
    p.send(
        new ProducerRecord<>(
            topic,
            partition,
            key.getBytes(UTF_8),
            value == null ? null : ChangelogFormat.encodeValue(value.getBytes(UTF_8))));
  }

  /**
   * Returns a restore consumer's configuration: read_committed, without auto commit.
   *
   * @param settings further consumer settings
   * @return a new mutable map
   */
  public Map<String, Object> restoreConsumerConfig(Map<String, Object> settings) {
    Map<String, Object> props = new HashMap<>(cluster.clientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.putAll(settings);
    return props;
  }

  /**
   * Returns a byte-array consumer.
   *
   * @param config its configuration, e.g. from {@link #restoreConsumerConfig}
   * @return the consumer, which the caller closes
   */
  public static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Returns a store's contents as strings.
   *
   * @return key to value, in key order
   */
  public static Map<String, String> contents(TaskStateStore state, String store) {
    Map<String, String> out = new TreeMap<>();
    try (KeyValueIterator it = state.store(store).all()) {
      while (it.hasNext()) {
        KeyValueEntry e = it.next();
        out.put(new String(e.key(), UTF_8), new String(e.value(), UTF_8));
      }
    }
    return out;
  }

  /**
   * Polls a session until every task in it completed.
   *
   * @return the results by task id, in id order
   */
  public static Map<String, RestoreResult> drain(RestoreSession session) {
    Map<String, RestoreResult> results = new TreeMap<>();
    while (!session.isEmpty()) {
      results.putAll(session.poll(Duration.ofMillis(100)));
    }
    return results;
  }
}
