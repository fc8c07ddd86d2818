package dev.weir.perf;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;

/**
 * W6 on Kafka Streams: both topics re-keyed by the event's key (a repartition per side), {@code
 * KStream#join} with {@code JoinWindows} of 10 s before and after, one output per pair {@code
 * "<leftSeq>,<rightSeq>"}.
 *
 * <p>The grace period is one hour, as W2's baseline and for the same reason: Kafka Streams drops a
 * record as too late by <em>stream time</em>, the highest timestamp its task has seen, and after a
 * repartition a task interleaves upstream tasks that are minutes of event time apart in a replay; a
 * short grace drops on-time records and the output is wrong. The price is a join store that keeps
 * an hour of records per side.
 */
final class KafkaStreamsW6 extends KafkaStreamsContender {
  @Override
  void build(StreamsBuilder b, ContenderSpec spec) {
    KStream<String, String> left = side(b, spec.inputs().get(0), "left");
    KStream<String, String> right = side(b, spec.inputs().get(1), "right");
    left.join(
            right,
            (l, r) -> l.substring(0, l.indexOf(',')) + "," + r.substring(0, r.indexOf(',')),
            JoinWindows.ofTimeDifferenceAndGrace(
                Duration.ofMillis(W6Pairs.BOUND_MS), Duration.ofHours(1)),
            StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String()))
        .to(spec.output(), Produced.with(Serdes.String(), Serdes.String()));
  }

  private static KStream<String, String> side(StreamsBuilder b, String topic, String name) {
    return b.stream(topic, Consumed.with(Serdes.String(), Serdes.String()))
        .selectKey((k, v) -> Event.parse(v).key())
        .repartition(
            Repartitioned.<String, String>as(name + "-by-key")
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.String()));
  }
}
