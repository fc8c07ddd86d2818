package dev.weir.internal.runtime;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Creates the runtime's Kafka clients. The facade adapts the user's {@code
 * dev.weir.KafkaClientSupplier} to it, so the runtime does not depend on the facade package. Called
 * from stream threads and the starting thread; implementations must be thread-safe.
 */
public interface KafkaClients {
  /** Returns a new byte-array producer for {@code config}. */
  Producer<byte[], byte[]> producer(Map<String, Object> config);

  /** Returns a new byte-array consumer for {@code config}. */
  Consumer<byte[], byte[]> consumer(Map<String, Object> config);

  /** Returns a new admin client for {@code config}. */
  Admin admin(Map<String, Object> config);
}
