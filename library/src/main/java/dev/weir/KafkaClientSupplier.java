package dev.weir;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates every Kafka client a Weir application uses: the one seam through which clients can be
 * wrapped (tracing, metrics) or faults injected in tests (a fenced producer, a failed commit).
 * Called from Weir's threads; implementations must be thread-safe.
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
   * Returns the supplier of plain Kafka clients.
   *
   * @return the default supplier
   */
  static KafkaClientSupplier defaults() {
    return new KafkaClientSupplier() {
      @Override
      public Producer<byte[], byte[]> producer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
      }

      @Override
      public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(
            config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      }

      @Override
      public Admin admin(Map<String, Object> config) {
        return Admin.create(config);
      }
    };
  }
}
