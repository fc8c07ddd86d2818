package dev.weir.internal.graph;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * What a Kafka source reads and how, as the public {@code KafkaSource} describes it. The public
 * class holds one of these and hands it to the graph, so the runtime reads sources without
 * accessors on the API class and without depending on the API package.
 *
 * @param topics the topics read, at least one
 * @param deserializer turns a raw record into an element (null skips the record)
 * @param serde the elements' serde when known, else null
 * @param startAtLatest whether a partition without a committed offset starts at its end
 * @param markerTasks how many upstream tasks write watermark markers into the topics; 0 when the
 *     source generates its own watermarks
 * @param <T> the element type
 */
public record SourceSpec<T>(
    List<String> topics,
    Deserializer<T> deserializer,
    Serde<T> serde,
    boolean startAtLatest,
    int markerTasks) {

  /** Turns a raw record into an element; the public source adapts the user's deserializer. */
  @FunctionalInterface
  public interface Deserializer<T> extends Serializable {
    /**
     * Deserialises one record.
     *
     * @param record the raw record
     * @return the element, or null to skip the record
     * @throws Exception handled by the configured deserialization error handler
     */
    T deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception;
  }

  /**
   * Checks the parts and copies the topic list.
   *
   * @throws IllegalArgumentException when there is no topic, a topic name is blank or {@code
   *     markerTasks} is negative
   */
  public SourceSpec {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("A KafkaSource needs at least one topic");
    }
    for (String t : topics) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("Topic names must not be blank: " + topics);
      }
    }
    topics = List.copyOf(topics);
    Objects.requireNonNull(deserializer, "deserializer");
    if (markerTasks < 0) {
      throw new IllegalArgumentException("markerTasks must not be negative: " + markerTasks);
    }
  }

  /**
   * Returns a copy that starts at the end (true) or the beginning (false) of partitions without a
   * committed offset.
   *
   * @param latest true for the end
   * @return the new spec
   */
  public SourceSpec<T> withStartAtLatest(boolean latest) {
    return new SourceSpec<>(topics, deserializer, serde, latest, markerTasks);
  }

  /**
   * Returns a copy whose event time comes from {@code tasks} upstream tasks' watermark markers.
   *
   * @param tasks the upstream task count, at least 1
   * @return the new spec
   */
  public SourceSpec<T> withMarkerTasks(int tasks) {
    return new SourceSpec<>(topics, deserializer, serde, startAtLatest, tasks);
  }
}
