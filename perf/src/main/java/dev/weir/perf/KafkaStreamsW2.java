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
 * W2 on Kafka Streams: group by the event's key (a repartition), 10 s tumbling windows, count, emit
 * final results only ({@code suppress(untilWindowCloses(unbounded()))}), written as key {@code
 * <key>@<windowStart>} and a long count.
 *
 * <p>Why not {@code emitStrategy(EmitStrategy.onWindowClose())}: it emits closed windows at most
 * once per second of wall-clock time and only when a record arrives, so at the end of a replay the
 * last windows wait for input that never comes; and a jump of stream time past the store's
 * retention purges windows before they are emitted. Suppression is checked on every update.
 *
 * <p>The grace period is the question. Kafka Streams closes windows by <em>stream time</em>, the
 * highest timestamp a task has seen, and after a repartition a task's input interleaves the outputs
 * of all upstream tasks, which in a replay are minutes of event time apart: with the workload's 5 s
 * the on-time records of the upstream tasks that are behind are dropped as late. So the baseline
 * ({@code kafka-streams}) uses a grace of one hour, which covers the data set's whole hour and
 * still drops the two-hour-late records; {@code kafka-streams-grace5s} runs the literal 5 s to show
 * what that costs in correctness.
 */
final class KafkaStreamsW2 extends KafkaStreamsContender {
  private final Duration grace;

  KafkaStreamsW2(Duration grace) {
    this.grace = grace;
  }

  @Override
  void build(StreamsBuilder b, ContenderSpec spec) {
    b.stream(spec.inputs(), Consumed.with(Serdes.String(), Serdes.String()))
        .groupBy(
            (k, v) -> Event.parse(v).key(),
            Grouped.with("by-key", Serdes.String(), Serdes.String()))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(Dataset.WINDOW_MS), grace))
        .count()
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
        .toStream((window, count) -> window.key() + "@" + window.window().start())
        .to(spec.output(), Produced.with(Serdes.String(), Serdes.Long()));
  }
}
