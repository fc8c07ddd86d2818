package dev.weir.perf;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * W3 on Kafka Streams: group by the event's key (a repartition), count, and emit every update: the
 * record cache is disabled for the store, otherwise Kafka Streams would fold updates of a key
 * within a commit interval into one.
 */
final class KafkaStreamsW3 extends KafkaStreamsContender {
  private final java.util.function.Function<ContenderSpec, Map<String, Object>> settings;

  /** W3 with the settings every Kafka Streams contender uses. */
  KafkaStreamsW3() {
    this(spec -> Map.of());
  }

  /**
   * W3 with extra settings.
   *
   * @param settings per instance, added to (and overriding) {@link
   *     KafkaStreamsContender#properties}, for W8's standby and static-membership setup
   */
  KafkaStreamsW3(java.util.function.Function<ContenderSpec, Map<String, Object>> settings) {
    this.settings = settings;
  }

  @Override
  Properties properties(ContenderSpec spec) {
    Properties p = super.properties(spec);
    p.putAll(settings.apply(spec));
    return p;
  }

  @Override
  void build(StreamsBuilder b, ContenderSpec spec) {
    b.stream(spec.inputs(), Consumed.with(Serdes.String(), Serdes.String()))
        .groupBy(
            (k, v) -> Event.parse(v).key(),
            Grouped.with("by-key", Serdes.String(), Serdes.String()))
        .count(
            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
                .withCachingDisabled())
        .toStream()
        .to(spec.output(), Produced.with(Serdes.String(), Serdes.Long()));
  }
}
