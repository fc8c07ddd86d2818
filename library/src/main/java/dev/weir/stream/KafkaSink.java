package dev.weir.stream;

import dev.weir.functions.KeySelector;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Describes how a stream is written to a Kafka topic: key, value, headers and partition. The
 * record's timestamp is always written as the Kafka record timestamp.
 *
 * <p>Under {@code exactly_once} (the default) every record is written inside the stream thread's
 * Kafka transaction, together with the input offsets it came from, so read_committed consumers see
 * each output exactly once.
 *
 * <pre>{@code
 * orders.sinkTo(KafkaSink.topic("orders-valid", orderSerde).withKey(Order::customerId, Serdes.String()));
 * }</pre>
 *
 * <p>Partitioning defaults to Kafka's own: hash of the serialised key, and the producer's sticky
 * partitioning for records without a key. Instances are immutable.
 *
 * @param <T> the element type written
 */
public final class KafkaSink<T> {
  /** Computes the headers of an output record. */
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

  /** Chooses the output partition of a record. */
  @FunctionalInterface
  public interface SinkPartitioner<T> extends Serializable {
    /**
     * Returns the partition for a record.
     *
     * @param value the element
     * @param serializedKey the serialised key, or null
     * @param numPartitions the topic's partition count
     * @return the partition in {@code [0, numPartitions)}, or -1 for Kafka's default
     */
    int partition(T value, byte[] serializedKey, int numPartitions);
  }

  /** Serialises the key of an output record. */
  @FunctionalInterface
  public interface KeyWriter<T> extends Serializable {
    /**
     * Returns the serialised key of a record.
     *
     * @param topic the target topic
     * @param value the element
     * @return the key bytes, or null for no key
     * @throws Exception any failure
     */
    byte[] key(String topic, T value) throws Exception;
  }

  private final String topic;
  private final transient Serializer<? super T> valueSerializer;
  private final KeyWriter<T> keyWriter;
  private final HeaderWriter<T> headerWriter;
  private final SinkPartitioner<T> partitioner;
  private boolean watermarkMarkers;

  /** The serdes this sink was built with and whether each writes keys, for {@link #configure}. */
  private final transient List<Map.Entry<Serde<?>, Boolean>> serdes;

  private KafkaSink(
      String topic,
      Serializer<? super T> valueSerializer,
      KeyWriter<T> keyWriter,
      HeaderWriter<T> headerWriter,
      SinkPartitioner<T> partitioner,
      List<Map.Entry<Serde<?>, Boolean>> serdes) {
    if (Objects.requireNonNull(topic, "topic").isBlank()) {
      throw new IllegalArgumentException("A KafkaSink needs a topic name");
    }
    this.topic = topic;
    this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
    this.keyWriter = keyWriter;
    this.headerWriter = headerWriter;
    this.partitioner = partitioner;
    this.serdes = List.copyOf(serdes);
  }

  /**
   * Writes elements as record values without keys.
   *
   * @param topic the output topic; must exist (Weir does not create user topics)
   * @param valueSerde the values' serde
   * @param <T> element type
   * @return the sink
   */
  public static <T> KafkaSink<T> topic(String topic, Serde<T> valueSerde) {
    return new KafkaSink<>(
        topic,
        Objects.requireNonNull(valueSerde, "valueSerde").serializer(),
        null,
        null,
        null,
        List.of(Map.entry(valueSerde, false)));
  }

  /**
   * Writes pairs as Kafka key and value.
   *
   * @param topic the output topic
   * @param keySerde the keys' serde
   * @param valueSerde the values' serde
   * @param <K> key type
   * @param <V> value type
   * @return the sink
   */
  public static <K, V> KafkaSink<KeyValue<K, V>> keyValues(
      String topic, Serde<K> keySerde, Serde<V> valueSerde) {
    Serializer<K> ks = Objects.requireNonNull(keySerde, "keySerde").serializer();
    Serializer<V> vs = Objects.requireNonNull(valueSerde, "valueSerde").serializer();
    Serializer<KeyValue<K, V>> values =
        (t, kv) -> kv.value() == null ? null : vs.serialize(t, kv.value());
    KeyWriter<KeyValue<K, V>> keys = (t, kv) -> kv.key() == null ? null : ks.serialize(t, kv.key());
    return new KafkaSink<>(
        topic,
        values,
        keys,
        null,
        null,
        List.of(Map.entry(keySerde, true), Map.entry(valueSerde, false)));
  }

  /**
   * Returns a copy that writes the key {@code selector} extracts.
   *
   * @param selector extracts the key
   * @param keySerde the keys' serde
   * @param <K> key type
   * @return the new sink
   */
  public <K> KafkaSink<T> withKey(KeySelector<? super T, ? extends K> selector, Serde<K> keySerde) {
    Objects.requireNonNull(selector, "selector");
    Serializer<K> ks = Objects.requireNonNull(keySerde, "keySerde").serializer();
    KeyWriter<T> kw = (t, v) -> ks.serialize(t, selector.getKey(v));
    List<Map.Entry<Serde<?>, Boolean>> all = new ArrayList<>(serdes);
    all.add(Map.entry(keySerde, true));
    return new KafkaSink<>(topic, valueSerializer, kw, headerWriter, partitioner, all);
  }

  /**
   * Returns a copy that adds headers to each record.
   *
   * @param headers computes the headers
   * @return the new sink
   */
  public KafkaSink<T> withHeaders(HeaderWriter<T> headers) {
    return new KafkaSink<>(
        topic, valueSerializer, keyWriter, Objects.requireNonNull(headers), partitioner, serdes);
  }

  /**
   * Returns a copy that chooses partitions with {@code partitioner} instead of Kafka's default.
   *
   * @param partitioner the partitioner
   * @return the new sink
   */
  public KafkaSink<T> withPartitioner(SinkPartitioner<T> partitioner) {
    return new KafkaSink<>(
        topic,
        valueSerializer,
        keyWriter,
        headerWriter,
        Objects.requireNonNull(partitioner),
        serdes);
  }

  /**
   * Returns the output topic.
   *
   * @return the topic
   */
  /**
   * Also writes this application's watermark markers into every partition of the topic, so that
   * another Weir application reading it with {@link KafkaSource#withWatermarkMarkers(int)} shares
   * this one's event time. Off by default: markers are records with a null key and the header
   * {@code weir.wm}, which consumers other than Weir must skip.
   *
   * @return this sink
   */
  public KafkaSink<T> withWatermarkMarkers() {
    this.watermarkMarkers = true;
    return this;
  }

  /**
   * Returns whether watermark markers are written.
   *
   * @return true after {@link #withWatermarkMarkers()}
   */
  public boolean writesWatermarkMarkers() {
    return watermarkMarkers;
  }

  public String topicName() {
    return topic;
  }

  /**
   * Calls {@link Serde#configure(Map, boolean)} on the serdes this sink was built with (keys with
   * {@code isKey} true). Weir calls it once when the application starts, with the application's
   * configuration; serdes shared between sources, sinks and states are configured once per use, so
   * their {@code configure} must be repeatable.
   *
   * @param configs the configuration
   */
  public void configure(Map<String, ?> configs) {
    for (Map.Entry<Serde<?>, Boolean> e : serdes) {
      e.getKey().configure(configs, e.getValue());
    }
  }

  /**
   * Returns the value serializer.
   *
   * @return the serializer
   */
  public Serializer<? super T> valueSerializer() {
    return valueSerializer;
  }

  /**
   * Returns the key writer.
   *
   * @return the key writer, or null when records have no key
   */
  public KeyWriter<T> keyWriter() {
    return keyWriter;
  }

  /**
   * Returns the header writer.
   *
   * @return the header writer, or null
   */
  public HeaderWriter<T> headerWriter() {
    return headerWriter;
  }

  /**
   * Returns the partitioner.
   *
   * @return the partitioner, or null for Kafka's default
   */
  public SinkPartitioner<T> partitioner() {
    return partitioner;
  }
}
