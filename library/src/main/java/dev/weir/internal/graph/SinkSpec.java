package dev.weir.internal.graph;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
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
 * @param serdes the user serdes the sink was built with, each with whether it writes keys, so that
 *     the runtime can {@linkplain #configure configure} them with the application's configuration
 * @param <T> the element type written
 */
public record SinkSpec<T>(
    String topicName,
    Serializer<? super T> valueSerializer,
    KeyWriter<T> keyWriter,
    HeaderWriter<T> headerWriter,
    Partitioner<T> partitioner,
    boolean writesWatermarkMarkers,
    List<Map.Entry<Serde<?>, Boolean>> serdes) {

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
    serdes = List.copyOf(serdes);
  }

  /**
   * Calls {@link Serde#configure(Map, boolean)} on the serdes this sink was built with (key serdes
   * with {@code isKey} true). The runtime calls it once at start with the application's
   * configuration.
   *
   * @param configs the configuration
   */
  public void configure(Map<String, ?> configs) {
    for (Map.Entry<Serde<?>, Boolean> e : serdes) {
      e.getKey().configure(configs, e.getValue());
    }
  }

  /**
   * Returns a copy with another key writer.
   *
   * @param keys the key writer, or null for no key
   * @param keySerde the serde the key writer serialises with, to configure at start; null for none
   * @return the new spec
   */
  public SinkSpec<T> withKeyWriter(KeyWriter<T> keys, Serde<?> keySerde) {
    // The new key serde replaces the previous one; value serdes stay.
    List<Map.Entry<Serde<?>, Boolean>> all = new ArrayList<>();
    serdes.stream().filter(e -> !e.getValue()).forEach(all::add);
    if (keySerde != null) {
      all.add(Map.entry(keySerde, true));
    }
    return new SinkSpec<>(
        topicName, valueSerializer, keys, headerWriter, partitioner, writesWatermarkMarkers, all);
  }

  /**
   * Returns a copy with another header writer.
   *
   * @param headers the header writer, or null for none
   * @return the new spec
   */
  public SinkSpec<T> withHeaderWriter(HeaderWriter<T> headers) {
    return new SinkSpec<>(
        topicName,
        valueSerializer,
        keyWriter,
        headers,
        partitioner,
        writesWatermarkMarkers,
        serdes);
  }

  /**
   * Returns a copy with another partitioner.
   *
   * @param chooser the partitioner, or null for Kafka's default
   * @return the new spec
   */
  public SinkSpec<T> withPartitioner(Partitioner<T> chooser) {
    return new SinkSpec<>(
        topicName,
        valueSerializer,
        keyWriter,
        headerWriter,
        chooser,
        writesWatermarkMarkers,
        serdes);
  }

  /**
   * Returns a copy that does or does not write watermark markers.
   *
   * @param markers whether to write them
   * @return the new spec
   */
  public SinkSpec<T> withWatermarkMarkers(boolean markers) {
    return new SinkSpec<>(
        topicName, valueSerializer, keyWriter, headerWriter, partitioner, markers, serdes);
  }
}
