package dev.weir.internal.runtime;

import dev.weir.KafkaClientSupplier;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/** Adapts a {@link KafkaClientSupplier} to the runtime's client factory, as the facade does. */
public final class TestClients {
  private TestClients() {}

  /** Returns a factory that delegates to {@code supplier}. */
  public static KafkaClients of(KafkaClientSupplier supplier) {
    return new KafkaClients() {
      @Override
      public Producer<byte[], byte[]> producer(Map<String, Object> config) {
        return supplier.producer(config);
      }

      @Override
      public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return supplier.consumer(config);
      }

      @Override
      public Admin admin(Map<String, Object> config) {
        return supplier.admin(config);
      }
    };
  }
}
