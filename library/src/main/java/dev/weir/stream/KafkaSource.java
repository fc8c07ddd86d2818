package dev.weir.stream;

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
 * event time. Instances are immutable.
 *
 * @param <T> the stream element type
 */
public final class KafkaSource<T> {
  private final List<String> topics;
  private final KafkaRecordDeserializer<T> deserializer;
  private final Serde<T> serde;
  private final StartPosition startPosition;
  private final int markerTasks;

  private KafkaSource(
      List<String> topics,
      KafkaRecordDeserializer<T> deserializer,
      Serde<T> serde,
      StartPosition startPosition) {
    this(topics, deserializer, serde, startPosition, 0);
  }

  private KafkaSource(
      List<String> topics,
      KafkaRecordDeserializer<T> deserializer,
      Serde<T> serde,
      StartPosition startPosition,
      int markerTasks) {
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("A KafkaSource needs at least one topic");
    }
    for (String t : topics) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("Topic names must not be blank: " + topics);
      }
    }
    this.topics = List.copyOf(topics);
    this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    this.serde = serde;
    this.startPosition = Objects.requireNonNull(startPosition, "startPosition");
    this.markerTasks = markerTasks;
  }

  /**
   * Takes event time from the watermark markers an upstream Weir application writes into the topic
   * ({@link KafkaSink#withWatermarkMarkers()}) instead of generating watermarks: each partition's
   * watermark is the minimum over the upstream tasks, as across a repartition topic. Record
   * timestamps are the Kafka timestamps (Weir's sink writes each record's event time).
   *
   * @param upstreamTasks how many tasks of the upstream application write the topic (its sink
   *     operator's task count); a partition's watermark waits for all of them
   * @return the new source
   */
  public KafkaSource<T> withWatermarkMarkers(int upstreamTasks) {
    if (upstreamTasks < 1) {
      throw new IllegalArgumentException("upstreamTasks must be at least 1: " + upstreamTasks);
    }
    return new KafkaSource<>(topics, deserializer, serde, startPosition, upstreamTasks);
  }

  /**
   * Returns how many upstream tasks send watermark markers into this source's topics.
   *
   * @return 0 when the source does not read markers
   */
  public int markerTasks() {
    return markerTasks;
  }

  /**
   * Reads the values of one or more topics; keys are ignored.
   *
   * @param topic the topic
   * @param valueSerde the values' serde; also used where the stream crosses a topic later
   * @param moreTopics further topics with the same value format
   * @param <V> value type
   * @return the source
   */
  public static <V> KafkaSource<V> topic(String topic, Serde<V> valueSerde, String... moreTopics) {
    Objects.requireNonNull(valueSerde, "valueSerde");
    Deserializer<V> d = valueSerde.deserializer();
    KafkaRecordDeserializer<V> des = r -> d.deserialize(r.topic(), r.headers(), r.value());
    return new KafkaSource<>(topics(topic, moreTopics), des, valueSerde, StartPosition.EARLIEST);
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
        topics(topic, moreTopics),
        des,
        new KeyValueSerde<>(keySerde, valueSerde),
        StartPosition.EARLIEST);
  }

  /**
   * Reads topics with a deserializer that sees the whole record.
   *
   * @param topics the topics, at least one
   * @param deserializer the deserializer
   * @param <T> element type
   * @return the source; call {@code returns(serde)} on a later operator if the stream crosses a
   *     topic
   */
  public static <T> KafkaSource<T> of(
      List<String> topics, KafkaRecordDeserializer<T> deserializer) {
    return new KafkaSource<>(topics, deserializer, null, StartPosition.EARLIEST);
  }

  /**
   * Returns a copy that starts at {@code position} where the group has no committed offset.
   *
   * @param position the start position
   * @return the new source
   */
  public KafkaSource<T> startingFrom(StartPosition position) {
    return new KafkaSource<>(topics, deserializer, serde, position, markerTasks);
  }

  /**
   * Returns the topics read.
   *
   * @return the topics, unmodifiable
   */
  public List<String> topics() {
    return topics;
  }

  /**
   * Returns the start position for partitions without a committed offset.
   *
   * @return the start position
   */
  public StartPosition startPosition() {
    return startPosition;
  }

  /**
   * Returns the element deserializer.
   *
   * @return the deserializer
   */
  public KafkaRecordDeserializer<T> deserializer() {
    return deserializer;
  }

  /**
   * Returns the elements' serde when the source knows it.
   *
   * @return the serde, or null
   */
  public Serde<T> serde() {
    return serde;
  }

  private static List<String> topics(String first, String... more) {
    Objects.requireNonNull(first, "topic");
    String[] all = new String[more.length + 1];
    all[0] = first;
    System.arraycopy(more, 0, all, 1, more.length);
    return List.of(all);
  }
}
