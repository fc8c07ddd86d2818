package dev.weir.stream;

import dev.weir.internal.graph.SourceSpec;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * Describes the Kafka topics a stream reads and how records become stream elements.
 *
 * <pre>{@code
 * DataStream<String> lines =
 *     builder.fromSource(KafkaSource.topic("lines", Serdes.String()), "lines");
 * DataStream<KeyValue<String, Long>> clicks =
 *     builder.fromSource(KafkaSource.keyValues("clicks", Serdes.String(), Serdes.Long()), "clicks");
 * }</pre>
 *
 * <p>All topics of one source, and of sources merged by {@code union}, must have the same number of
 * partitions: a task reads partition {@code p} of each of them. The record's Kafka timestamp is its
 * event time.
 *
 * <p>Instances are immutable values: every {@code with*}/{@code startingFrom} method returns a copy
 * that keeps every other setting, so calls can come in any order and a source can be shared by
 * several pipelines. Thread-safe.
 *
 * @param <T> the stream element type
 */
public final class KafkaSource<T> {
  /** Everything the runtime needs; read by {@link StreamBuilder} and nothing public. */
  private final SourceSpec<T> spec;

  private KafkaSource(SourceSpec<T> spec) {
    this.spec = spec;
  }

  private KafkaSource(
      List<String> topics, KafkaRecordDeserializer<T> deserializer, Serde<T> serde) {
    Objects.requireNonNull(deserializer, "deserializer");
    this.spec = new SourceSpec<>(topics, deserializer::deserialize, serde, false, 0);
  }

  /**
   * Returns a copy that takes event time from the watermark markers an upstream Weir application
   * writes into the topic ({@link KafkaSink#withWatermarkMarkers()}) instead of generating
   * watermarks: each partition's watermark is the minimum over the upstream tasks, as across a
   * repartition topic. Record timestamps are the Kafka timestamps (Weir's sink writes each record's
   * event time).
   *
   * @param upstreamTasks how many tasks of the upstream application write the topic (its sink
   *     operator's task count); a partition's watermark waits for all of them
   * @return the new source; this one is unchanged
   * @throws IllegalArgumentException when {@code upstreamTasks} is below 1
   */
  public KafkaSource<T> withWatermarkMarkers(int upstreamTasks) {
    if (upstreamTasks < 1) {
      throw new IllegalArgumentException("upstreamTasks must be at least 1: " + upstreamTasks);
    }
    return new KafkaSource<>(spec.withMarkerTasks(upstreamTasks));
  }

  /**
   * Reads the values of one or more topics; keys are ignored.
   *
   * @param topic the topic
   * @param valueSerde the values' serde; also used where the stream crosses a topic later
   * @param moreTopics further topics with the same value format
   * @param <V> value type
   * @return the source
   * @throws NullPointerException when a topic or the serde is null
   * @throws IllegalArgumentException when a topic name is blank
   */
  public static <V> KafkaSource<V> topic(String topic, Serde<V> valueSerde, String... moreTopics) {
    Objects.requireNonNull(valueSerde, "valueSerde");
    Deserializer<V> d = valueSerde.deserializer();
    KafkaRecordDeserializer<V> des = r -> d.deserialize(r.topic(), r.headers(), r.value());
    return new KafkaSource<>(topics(topic, moreTopics), des, valueSerde);
  }

  /**
   * Reads keys and values of one or more topics.
   *
   * @param topic the topic
   * @param keySerde the keys' serde
   * @param valueSerde the values' serde
   * @param moreTopics further topics with the same formats
   * @param <K> key type
   * @param <V> value type
   * @return the source
   * @throws NullPointerException when a topic or a serde is null
   * @throws IllegalArgumentException when a topic name is blank
   */
  public static <K, V> KafkaSource<KeyValue<K, V>> keyValues(
      String topic, Serde<K> keySerde, Serde<V> valueSerde, String... moreTopics) {
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    Deserializer<K> kd = keySerde.deserializer();
    Deserializer<V> vd = valueSerde.deserializer();
    KafkaRecordDeserializer<KeyValue<K, V>> des =
        r ->
            new KeyValue<>(
                r.key() == null ? null : kd.deserialize(r.topic(), r.headers(), r.key()),
                vd.deserialize(r.topic(), r.headers(), r.value()));
    return new KafkaSource<>(
        topics(topic, moreTopics), des, new KeyValueSerde<>(keySerde, valueSerde));
  }

  /**
   * Reads topics with a deserializer that sees the whole record.
   *
   * @param topics the topics, at least one
   * @param deserializer the deserializer
   * @param <T> element type
   * @return the source; call {@code returns(serde)} on a later operator if the stream crosses a
   *     topic
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when {@code topics} is empty or a name is blank
   */
  public static <T> KafkaSource<T> of(
      List<String> topics, KafkaRecordDeserializer<T> deserializer) {
    return new KafkaSource<>(topics, deserializer, null);
  }

  /**
   * Returns a copy that starts at {@code position} where the group has no committed offset.
   *
   * @param position the start position
   * @return the new source; this one is unchanged
   * @throws NullPointerException when {@code position} is null
   */
  public KafkaSource<T> startingFrom(StartPosition position) {
    Objects.requireNonNull(position, "position");
    return new KafkaSource<>(spec.withStartAtLatest(position == StartPosition.LATEST));
  }

  /** The description the graph keeps; for {@link StreamBuilder}. */
  SourceSpec<T> spec() {
    return spec;
  }

  private static List<String> topics(String first, String... more) {
    Objects.requireNonNull(first, "topic");
    String[] all = new String[more.length + 1];
    all[0] = first;
    System.arraycopy(more, 0, all, 1, more.length);
    return List.of(all);
  }
}
