package dev.weir.stream;

import dev.weir.functions.KeySelector;
import dev.weir.internal.graph.SinkSpec;
import java.io.Serializable;
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
 * partitioning for records without a key.
 *
 * <p>Instances are immutable values: every {@code with*} method returns a copy that keeps every
 * other setting (key, headers, partitioner, watermark markers), so the calls can come in any order
 * and a sink can be shared by several pipelines. Thread-safe.
 *
 * @param <T> the element type written
 */
public final class KafkaSink<T> {
  /**
   * Computes the headers of an output record.
   *
   * @param <T> the element type
   */
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

  /**
   * Chooses the output partition of a record.
   *
   * @param <T> the element type
   */
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

  /** Everything the runtime needs; read by {@link DataStream#sinkTo} and nothing public. */
  private final SinkSpec<T> spec;

  private KafkaSink(SinkSpec<T> spec) {
    this.spec = spec;
  }

  /**
   * Writes elements as record values without keys.
   *
   * @param topic the output topic; must exist (Weir does not create user topics)
   * @param valueSerde the values' serde
   * @param <T> element type
   * @return the sink
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the topic name is blank
   */
  public static <T> KafkaSink<T> topic(String topic, Serde<T> valueSerde) {
    Serializer<T> values = Objects.requireNonNull(valueSerde, "valueSerde").serializer();
    return new KafkaSink<>(
        new SinkSpec<>(
            topic, values, null, null, null, false, List.of(Map.entry(valueSerde, false))));
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
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the topic name is blank
   */
  public static <K, V> KafkaSink<KeyValue<K, V>> keyValues(
      String topic, Serde<K> keySerde, Serde<V> valueSerde) {
    Serializer<K> ks = Objects.requireNonNull(keySerde, "keySerde").serializer();
    Serializer<V> vs = Objects.requireNonNull(valueSerde, "valueSerde").serializer();
    Serializer<KeyValue<K, V>> values =
        (t, kv) -> kv.value() == null ? null : vs.serialize(t, kv.value());
    SinkSpec.KeyWriter<KeyValue<K, V>> keys =
        (t, kv) -> kv.key() == null ? null : ks.serialize(t, kv.key());
    return new KafkaSink<>(
        new SinkSpec<>(
            topic,
            values,
            keys,
            null,
            null,
            false,
            List.of(Map.entry(keySerde, true), Map.entry(valueSerde, false))));
  }

  /**
   * Returns a copy that writes the key {@code selector} extracts; every other setting is kept.
   *
   * @param selector extracts the key
   * @param keySerde the keys' serde
   * @param <K> key type
   * @return the new sink; this one is unchanged
   * @throws NullPointerException when an argument is null
   */
  public <K> KafkaSink<T> withKey(KeySelector<? super T, ? extends K> selector, Serde<K> keySerde) {
    Objects.requireNonNull(selector, "selector");
    Serializer<K> ks = Objects.requireNonNull(keySerde, "keySerde").serializer();
    return new KafkaSink<>(
        spec.withKeyWriter((t, v) -> ks.serialize(t, selector.getKey(v)), keySerde));
  }

  /**
   * Returns a copy that adds headers to each record; every other setting is kept.
   *
   * @param headers computes the headers
   * @return the new sink; this one is unchanged
   * @throws NullPointerException when {@code headers} is null
   */
  public KafkaSink<T> withHeaders(HeaderWriter<T> headers) {
    Objects.requireNonNull(headers, "headers");
    return new KafkaSink<>(spec.withHeaderWriter(headers::write));
  }

  /**
   * Returns a copy that chooses partitions with {@code partitioner} instead of Kafka's default;
   * every other setting is kept.
   *
   * @param partitioner the partitioner
   * @return the new sink; this one is unchanged
   * @throws NullPointerException when {@code partitioner} is null
   */
  public KafkaSink<T> withPartitioner(SinkPartitioner<T> partitioner) {
    Objects.requireNonNull(partitioner, "partitioner");
    return new KafkaSink<>(spec.withPartitioner(partitioner::partition));
  }

  /**
   * Returns a copy that also writes this application's watermark markers into every partition of
   * the topic, so that another Weir application reading it with {@link
   * KafkaSource#withWatermarkMarkers(int)} shares this one's event time; every other setting is
   * kept. Off by default: markers are records with a null key and the header {@code weir.wm}, which
   * consumers other than Weir must skip.
   *
   * @return the new sink; this one is unchanged
   */
  public KafkaSink<T> withWatermarkMarkers() {
    return new KafkaSink<>(spec.withWatermarkMarkers(true));
  }

  /** The description the graph keeps; for {@link DataStream#sinkTo}. */
  SinkSpec<T> spec() {
    return spec;
  }
}
