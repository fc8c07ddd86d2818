package dev.weir.perf;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * W2K on Kafka Streams: the input is already keyed, so {@code groupByKey} (no repartition), 10 s
 * tumbling windows with the workload's 5 s grace, count, final results only ({@code
 * suppress(untilWindowCloses(unbounded()))}), written as W2's are.
 *
 * <p>Without a repartition a task's stream time comes from its own partitions, which are in event
 * order up to the data set's disorder, so the literal 5 s grace is correct here (unlike W2, see
 * {@link KafkaStreamsW2}), and windows close, and leave the suppression buffer, as the replay goes.
 */
final class KafkaStreamsW2K extends KafkaStreamsContender {
  @Override
  void build(StreamsBuilder b, ContenderSpec spec) {
    b.stream(spec.inputs(), Consumed.with(Serdes.String(), MarkingStrings.serde()))
        .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
        .windowedBy(
            TimeWindows.ofSizeAndGrace(
                Duration.ofMillis(Dataset.WINDOW_MS), Duration.ofMillis(Dataset.MAX_DISORDER_MS)))
        .count()
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream((window, count) -> window.key() + "@" + window.window().start())
        .to(spec.output(), Produced.with(Serdes.String(), Serdes.Long()));
  }
}
