package dev.weir.internal.task;

import java.util.function.LongConsumer;
import org.apache.kafka.common.header.Headers;

/**
 * Where a task's output records go: the stream thread's producer (inside its transaction under
 * exactly-once) or, in the test driver, in-memory topics.
 */
public interface RecordCollector {
  /**
   * Sends one record. {@code partition} null means Kafka's default partitioning. Failures of the
   * send itself surface at the next commit, never silently.
   */
  void send(
      String topic, Integer partition, byte[] key, byte[] value, long timestamp, Headers headers);

  /** The partition count of a topic the task writes to. */
  int partitionCount(String topic);

  /**
   * Sends one changelog record to an explicit partition; {@code onOffset} receives the offset the
   * broker assigned (possibly on another thread) once the write is acknowledged, which happens
   * before the next commit or flush returns.
   */
  void sendChangelog(
      String topic, int partition, byte[] key, byte[] value, long timestamp, LongConsumer onOffset);
}
