package dev.weir;

import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates every Kafka client a Weir application uses: the one seam through which clients can be
 * wrapped (tracing, metrics) or faults injected in tests (a fenced producer, a failed commit).
 * Called from Weir's threads; implementations must be thread-safe.
 *
 * <p>{@link #decorating} wraps the clients of another supplier, for example with the
 * fault-injecting clients of {@code weir-testkit} ({@code dev.weir.testkit.faults.FaultInjector}):
 *
 * <pre>{@code
 * KafkaClientSupplier clients =
 *     KafkaClientSupplier.decorating(
 *         KafkaClientSupplier.defaults(), faults::producer, faults::consumer, faults::admin);
 * new WeirApplication(topology, config, clients);
 * }</pre>
 */
public interface KafkaClientSupplier {
  /**
   * Creates a producer.
   *
   * @param config the producer's configuration, complete
   * @return a new producer
   */
  Producer<byte[], byte[]> producer(Map<String, Object> config);

  /**
   * Creates a consumer.
   *
   * @param config the consumer's configuration, complete
   * @return a new consumer
   */
  Consumer<byte[], byte[]> consumer(Map<String, Object> config);

  /**
   * Creates an admin client.
   *
   * @param config the admin client's configuration, complete
   * @return a new admin client
   */
  Admin admin(Map<String, Object> config);

  /**
   * Returns the supplier of plain Kafka clients, always the same instance. With it, a large restore
   * reads its changelogs with raw fetch requests by default ({@code state.restore.raw.fetch}); with
   * any other supplier (even one {@link #decorating} this one) only when that setting is {@code
   * true}, because those reads connect to the brokers without the supplier's clients.
   *
   * @return the default supplier
   */
  static KafkaClientSupplier defaults() {
    return PlainClients.INSTANCE;
  }

  /**
   * Returns a supplier whose clients are those of {@code base}, each passed through a wrapper as it
   * is created: tracing, metrics, or faults in tests. A wrapper gets the new client and returns the
   * client Weir uses; it may return its argument unchanged ({@code UnaryOperator.identity()}).
   *
   * @param base creates the real clients
   * @param producers wraps each producer; called on the thread that creates it
   * @param consumers wraps each consumer
   * @param admins wraps each admin client
   * @return the decorating supplier; thread-safe when {@code base} and the wrappers are
   * @throws NullPointerException if an argument is null, or (when a client is created) a wrapper
   *     returns null
   */
  static KafkaClientSupplier decorating(
      KafkaClientSupplier base,
      UnaryOperator<Producer<byte[], byte[]>> producers,
      UnaryOperator<Consumer<byte[], byte[]>> consumers,
      UnaryOperator<Admin> admins) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(producers, "producers");
    Objects.requireNonNull(consumers, "consumers");
    Objects.requireNonNull(admins, "admins");
    return new KafkaClientSupplier() {
      @Override
      public Producer<byte[], byte[]> producer(Map<String, Object> config) {
        return Objects.requireNonNull(
            producers.apply(base.producer(config)), "the producer wrapper returned null");
      }

      @Override
      public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return Objects.requireNonNull(
            consumers.apply(base.consumer(config)), "the consumer wrapper returned null");
      }

      @Override
      public Admin admin(Map<String, Object> config) {
        return Objects.requireNonNull(
            admins.apply(base.admin(config)), "the admin wrapper returned null");
      }
    };
  }
}
