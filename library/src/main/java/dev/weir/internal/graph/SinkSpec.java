package dev.weir.internal.graph;

import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How a stream is written to a Kafka topic, as the public {@code KafkaSink} describes it. An
 * immutable value: every {@code with*} method returns a copy carrying every other field, so no
 * option is lost whatever order the public builder's calls come in.
 *
 * @param topicName the output topic
 * @param valueSerializer serialises the record value
 * @param keyWriter serialises the record key; null writes no key
 * @param headerWriter adds headers; null adds none
 * @param partitioner chooses the partition; null uses Kafka's default
 * @param writesWatermarkMarkers whether the application's watermark markers go into the topic too
 * @param <T> the element type written
 */
public record SinkSpec<T>(
    String topicName,
    Serializer<? super T> valueSerializer,
    KeyWriter<T> keyWriter,
    HeaderWriter<T> headerWriter,
    Partitioner<T> partitioner,
    boolean writesWatermarkMarkers) {

  /** Serialises the key of an output record. */
  @FunctionalInterface
  public interface KeyWriter<T> extends Serializable {
    /**
     * Returns the serialised key.
     *
     * @param topic the target topic
     * @param value the element
     * @return the key bytes, or null for no key
     * @throws Exception any failure, attributed to the sink
     */
    byte[] key(String topic, T value) throws Exception;
  }

  /** Adds the headers of an output record. */
  @FunctionalInterface
  public interface HeaderWriter<T> extends Serializable {
    /**
     * Adds headers for one record.
     *
     * @param value the element
     * @param headers the record's headers, to add to
     */
    void write(T value, Headers headers);
  }

  /** Chooses the partition of an output record. */
  @FunctionalInterface
  public interface Partitioner<T> extends Serializable {
    /**
     * Returns the partition.
     *
     * @param value the element
     * @param serializedKey the serialised key, or null
     * @param numPartitions the topic's partition count
     * @return a partition in {@code [0, numPartitions)}, or -1 for Kafka's default
     */
    int partition(T value, byte[] serializedKey, int numPartitions);
  }

  /**
   * Checks the topic and the value serializer.
   *
   * @throws IllegalArgumentException when the topic name is blank
   */
  public SinkSpec {
    if (Objects.requireNonNull(topicName, "topic").isBlank()) {
      throw new IllegalArgumentException("A KafkaSink needs a topic name");
    }
    Objects.requireNonNull(valueSerializer, "valueSerializer");
  }

  /**
   * Returns a copy with another key writer.
   *
   * @param keys the key writer, or null for no key
   * @return the new spec
   */
  public SinkSpec<T> withKeyWriter(KeyWriter<T> keys) {
    return new SinkSpec<>(
        topicName, valueSerializer, keys, headerWriter, partitioner, writesWatermarkMarkers);
  }

  /**
   * Returns a copy with another header writer.
   *
   * @param headers the header writer, or null for none
   * @return the new spec
   */
  public SinkSpec<T> withHeaderWriter(HeaderWriter<T> headers) {
    return new SinkSpec<>(
        topicName, valueSerializer, keyWriter, headers, partitioner, writesWatermarkMarkers);
  }

  /**
   * Returns a copy with another partitioner.
   *
   * @param chooser the partitioner, or null for Kafka's default
   * @return the new spec
   */
  public SinkSpec<T> withPartitioner(Partitioner<T> chooser) {
    return new SinkSpec<>(
        topicName, valueSerializer, keyWriter, headerWriter, chooser, writesWatermarkMarkers);
  }

  /**
   * Returns a copy that does or does not write watermark markers.
   *
   * @param markers whether to write them
   * @return the new spec
   */
  public SinkSpec<T> withWatermarkMarkers(boolean markers) {
    return new SinkSpec<>(
        topicName, valueSerializer, keyWriter, headerWriter, partitioner, markers);
  }
}
