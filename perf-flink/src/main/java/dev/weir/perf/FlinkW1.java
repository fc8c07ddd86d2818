package dev.weir.perf;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * W1 on Flink: one source over the data set and the run's probe topic, {@code map(parse)}, {@code
 * filter(keep)}, {@code map(enrich)}, written keyed by the event's key. All chained in one task.
 */
final class FlinkW1 extends FlinkContender {
  @Override
  void build(StreamExecutionEnvironment env, ContenderSpec spec) {
    env.fromSource(
            FlinkKafka.source(spec, "input", spec.inputs(), new FlinkKafka.Values()),
            WatermarkStrategy.noWatermarks(),
            "input")
        .map(Event::parse)
        .returns(Event.class)
        .name("parse")
        .filter(Event::keep)
        .name("keep")
        .map(e -> Tuple2.of(e.key(), e.enrich()))
        .returns(Types.TUPLE(Types.STRING, Types.STRING))
        .name("enrich")
        .sinkTo(FlinkKafka.sink(spec, FlinkKafka.ValueBytes.utf8()))
        .name("output");
  }
}
