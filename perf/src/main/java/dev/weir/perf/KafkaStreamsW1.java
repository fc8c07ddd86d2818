package dev.weir.perf;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** W1 on Kafka Streams: {@code mapValues(parse).filter(keep).map(enrich).to(output)}. */
final class KafkaStreamsW1 extends KafkaStreamsContender {
  @Override
  void build(StreamsBuilder b, ContenderSpec spec) {
    b.stream(spec.inputs(), Consumed.with(Serdes.String(), Serdes.String()))
        .mapValues(Event::parse)
        .filter((k, e) -> e.keep())
        .map((k, e) -> KeyValue.pair(e.key(), e.enrich()))
        .to(spec.output(), Produced.with(Serdes.String(), Serdes.String()));
  }
}
