package dev.weir.perf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * W9 on Kafka Streams, its nearest equivalent of a window function over all of a window's records:
 * {@code groupByKey} (the input is already keyed), 1-minute windows with the workload's 5 s grace,
 * an aggregate that collects the records into a list, final results only ({@code suppress}), then
 * {@link W9Data#summarise} of the list. The list is one value, rewritten on every update (the
 * record cache absorbs updates within a commit interval) and sent whole to the changelog at each
 * commit; its producer and internal topics accept values up to 32 MB, since a 20,000-record window
 * is about 2 MB, over Kafka's 1 MB default.
 */
final class KafkaStreamsW9 extends KafkaStreamsContender {
  private static final int MAX_BYTES = 32 << 20;

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"}) // ListSerde takes a raw list class
  void build(StreamsBuilder b, ContenderSpec spec) {
    Serde<List<String>> listSerde = Serdes.ListSerde(ArrayList.class, Serdes.String());
    b.stream(spec.inputs().get(0), Consumed.with(Serdes.String(), Serdes.String()))
        .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
        .windowedBy(
            TimeWindows.ofSizeAndGrace(Duration.ofMillis(W9Data.WINDOW_MS), Duration.ofSeconds(5)))
        .aggregate(
            () -> new ArrayList<>(),
            (k, line, list) -> {
              Event.parse(line); // as Weir's key selector does: marks the first record
              list.add(line);
              return list;
            },
            Materialized.with(Serdes.String(), listSerde))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream((window, list) -> window.key() + "@" + window.window().start())
        .mapValues(W9Data::summarise)
        .to(spec.output(), Produced.with(Serdes.String(), Serdes.String()));
  }

  @Override
  Properties properties(ContenderSpec spec) {
    Properties p = super.properties(spec);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_BYTES);
    p.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), MAX_BYTES);
    return p;
  }
}
