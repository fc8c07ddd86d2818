package dev.weir.internal.runtime;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;

/** Kafka clients for a test that needs producers only: asking for anything else fails it. */
interface ProducerOnlyClients extends KafkaClients {
  @Override
  default Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    throw new AssertionError("the code under test asked for a consumer");
  }

  @Override
  default Admin admin(Map<String, Object> config) {
    throw new AssertionError("the code under test asked for an admin client");
  }
}
