package dev.weir.testkit;

import java.time.Duration;
import java.util.Map;

/**
 * A running Kafka cluster for tests, demos and benchmarks.
 *
 * <pre>{@code
 * try (KafkaCluster kafka = KafkaClusters.create(1)) {
 *   kafka.createTopic("orders", 4);
 *   Map<String, Object> config = kafka.clientProperties();
 *   config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "orders-writer");
 *   // ... new KafkaProducer<>(config, keySerializer, valueSerializer)
 * }
 * }</pre>
 *
 * <p>A cluster is ready when it is returned: every broker is registered, and transactions work (the
 * transaction state log exists). All listeners are on {@code 127.0.0.1}.
 *
 * <p>Brokers are numbered from 0 to {@code brokerCount() - 1}; a broker's index is also its Kafka
 * node id. Implementations that cannot stop individual brokers throw {@link
 * UnsupportedOperationException} from {@link #stopBroker}, {@link #killBroker} and {@link
 * #restartBroker}.
 *
 * <p><b>Threading:</b> implementations are thread-safe. Broker operations (stop, kill, restart,
 * close) are serialized; a call that waits blocks other broker operations meanwhile.
 */
public interface KafkaCluster extends AutoCloseable {

  /**
   * Returns the {@code bootstrap.servers} value for clients.
   *
   * @return comma-separated {@code host:port} of every broker, stopped ones included; never null
   */
  String bootstrapServers();

  /**
   * Returns the number of brokers the cluster was started with, stopped ones included.
   *
   * @return 1 to 3
   */
  int brokerCount();

  /**
   * Returns how long the start took, from the call that started the cluster until it was ready.
   *
   * @return a positive duration
   */
  Duration startupTime();

  /**
   * Stops a broker gracefully (controlled shutdown: its partition leaderships move away first) and
   * waits until its process has exited. Does nothing if the broker is not running.
   *
   * @param index the broker, {@code 0 <= index < brokerCount()}
   * @throws IndexOutOfBoundsException when {@code index} is out of range
   * @throws UnsupportedOperationException when the implementation cannot stop single brokers
   * @throws IllegalStateException when the cluster is closed
   */
  void stopBroker(int index);

  /**
   * Kills a broker abruptly (SIGKILL: no controlled shutdown, no flush) and waits until its process
   * is gone. Does nothing if the broker is not running.
   *
   * @param index the broker, {@code 0 <= index < brokerCount()}
   * @throws IndexOutOfBoundsException when {@code index} is out of range
   * @throws UnsupportedOperationException when the implementation cannot kill single brokers
   * @throws IllegalStateException when the cluster is closed
   */
  void killBroker(int index);

  /**
   * Starts a broker again with the same node id, data directory and ports, and waits until the
   * cluster lists it again. A running broker is first stopped gracefully.
   *
   * @param index the broker, {@code 0 <= index < brokerCount()}
   * @throws IndexOutOfBoundsException when {@code index} is out of range
   * @throws UnsupportedOperationException when the implementation cannot restart single brokers
   * @throws IllegalStateException when the cluster is closed, or the broker fails to come back in
   *     time (the message then holds the end of the broker's log)
   */
  void restartBroker(int index);

  /**
   * Creates a topic with a replication factor of {@code min(3, brokerCount())} and default configs,
   * and waits until every partition has a leader.
   *
   * @param name the topic name
   * @param partitions the partition count, at least 1
   * @throws org.apache.kafka.common.errors.TopicExistsException when the topic exists
   * @throws org.apache.kafka.common.KafkaException when Kafka refuses the topic otherwise
   * @throws IllegalStateException when the cluster is closed, or the wait times out
   */
  default void createTopic(String name, int partitions) {
    createTopic(name, partitions, Map.of());
  }

  /**
   * Creates a topic with a replication factor of {@code min(3, brokerCount())} and the given
   * configs, and waits until every partition has a leader.
   *
   * @param name the topic name
   * @param partitions the partition count, at least 1
   * @param configs topic configs such as {@code cleanup.policy=compact}; may be empty
   * @throws org.apache.kafka.common.errors.TopicExistsException when the topic exists
   * @throws org.apache.kafka.common.KafkaException when Kafka refuses the topic otherwise
   * @throws IllegalStateException when the cluster is closed, or the wait times out
   */
  void createTopic(String name, int partitions, Map<String, String> configs);

  /**
   * Returns client settings that reach this cluster: at least {@code bootstrap.servers}.
   *
   * @return a new mutable map on every call, for the caller to add its own settings to
   */
  Map<String, Object> clientProperties();

  /**
   * Stops every broker, releases clients held by this object and deletes the cluster's data.
   * Idempotent; never throws for a cluster that is already closed.
   */
  @Override
  void close();
}
