package dev.weir.stream;

import java.io.Serializable;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a consumed Kafka record into a stream element, with access to key, value, headers and
 * metadata. Most pipelines use the serde-based factories of {@link KafkaSource} instead.
 *
 * @param <T> the stream element type
 */
@FunctionalInterface
public interface KafkaRecordDeserializer<T> extends Serializable {
  /**
   * Deserialises one record.
   *
   * @param record the raw record, never null
   * @return the element, or null to skip the record silently (counted in the source's metrics)
   * @throws Exception a failure is handled by the configured deserialization error handler
   */
  T deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception;
}
