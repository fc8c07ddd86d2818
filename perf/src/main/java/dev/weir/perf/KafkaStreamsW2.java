package dev.weir.perf;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * W2 on Kafka Streams: group by the event's key (a repartition), 10 s tumbling windows with 5 s
 * grace, count, emit final results only ({@link EmitStrategy#onWindowClose()}), written as key
 * {@code <key>@<windowStart>} and a long count.
 */
final class KafkaStreamsW2 extends KafkaStreamsContender {
  @Override
  void build(StreamsBuilder b, ContenderSpec spec) {
    b.stream(spec.inputs(), Consumed.with(Serdes.String(), Serdes.String()))
        .groupBy(
            (k, v) -> Event.parse(v).key(),
            Grouped.with("by-key", Serdes.String(), Serdes.String()))
        .windowedBy(
            TimeWindows.ofSizeAndGrace(
                Duration.ofMillis(Dataset.WINDOW_MS), Duration.ofMillis(Dataset.MAX_DISORDER_MS)))
        .emitStrategy(EmitStrategy.onWindowClose())
        .count()
        .toStream((window, count) -> window.key() + "@" + window.window().start())
        .to(spec.output(), Produced.with(Serdes.String(), Serdes.Long()));
  }
}
