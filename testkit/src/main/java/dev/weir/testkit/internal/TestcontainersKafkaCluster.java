package dev.weir.testkit.internal;

import dev.weir.testkit.KafkaCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A single Kafka broker in a Docker container, behind {@link KafkaCluster}. Selected with {@code
 * -Dweir.testkit.cluster=testcontainers} and loaded only reflectively (by {@code KafkaClusters}),
 * so that no Testcontainers class is loaded on machines without Docker.
 *
 * <p>Not exercised by Weir's own build, whose machines have no Docker engine; it compiles against
 * {@code org.testcontainers:kafka}, an optional dependency that users of this kind add themselves.
 */
public final class TestcontainersKafkaCluster implements KafkaCluster {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String UNSUPPORTED =
      "the testcontainers cluster cannot stop, kill or restart its broker; "
          + "run fault-injection tests with the default embedded cluster";

  private final KafkaContainer container;
  private final Admin admin;
  private final Duration startupTime;

  private TestcontainersKafkaCluster(KafkaContainer container, Duration startupTime) {
    this.container = container;
    this.startupTime = startupTime;
    this.admin = Admin.create(clientProperties());
  }

  /**
   * Starts a broker container and waits until it is ready.
   *
   * @param image the Docker image, an {@code apache/kafka} image
   * @return the running cluster
   */
  public static TestcontainersKafkaCluster start(String image) {
    long begin = System.nanoTime();
    KafkaContainer container =
        new KafkaContainer(image)
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_TRANSACTION_MAX_TIMEOUT_MS", "900000");
    container.start();
    return new TestcontainersKafkaCluster(container, Duration.ofNanos(System.nanoTime() - begin));
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public int brokerCount() {
    return 1;
  }

  @Override
  public Duration startupTime() {
    return startupTime;
  }

  @Override
  public void stopBroker(int index) {
    throw new UnsupportedOperationException(UNSUPPORTED);
  }

  @Override
  public void killBroker(int index) {
    throw new UnsupportedOperationException(UNSUPPORTED);
  }

  @Override
  public void restartBroker(int index) {
    throw new UnsupportedOperationException(UNSUPPORTED);
  }

  @Override
  public void createTopic(String name, int partitions, Map<String, String> configs) {
    NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(Map.copyOf(configs));
    ClusterProbe.createTopic(admin, topic, TIMEOUT);
  }

  @Override
  public Map<String, Object> clientProperties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return properties;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(1));
    container.stop();
  }
}
