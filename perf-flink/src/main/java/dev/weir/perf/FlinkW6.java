package dev.weir.perf;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.ProcessJoinFunction;
import org.apache.flink.util.Collector;

/**
 * W6 on Flink: a source per topic with watermarks of 5 s out-of-orderness per split from the record
 * timestamps (the events' times, as Weir's sources use them), {@code map(parse)} and {@code
 * keyBy(Event::key)} on both sides, {@code intervalJoin(...).between(-10 s, +10 s)}, one output per
 * pair {@code "<leftSeq>,<rightSeq>"} keyed by the key.
 *
 * <p>The keyBy is an exchange inside this JVM between the source tasks and the join's task, which
 * ships the parsed events; Flink needs no repartition topic where Weir and Kafka Streams write one
 * per side. The two-hour-late records are behind the join's watermark when they arrive and the
 * interval join drops them, as Weir does.
 *
 * <p>No flush topic: a pair is emitted as soon as its second record arrives, so nothing waits for
 * the watermark at the end of the data set, and no split is ever declared idle (an idle timeout
 * would make records of a split the consumer served late look late, see {@link FlushSignal}).
 */
final class FlinkW6 extends FlinkContender {
  private static final TypeInformation<Tuple2<String, String>> PAIR =
      Types.TUPLE(Types.STRING, Types.STRING);

  /** {@code "<leftSeq>,<rightSeq>"} keyed by the key. */
  static final class Pair extends ProcessJoinFunction<Event, Event, Tuple2<String, String>> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(
        Event left, Event right, Context ctx, Collector<Tuple2<String, String>> out) {
      out.collect(Tuple2.of(left.key(), left.seq() + "," + right.seq()));
    }
  }

  @Override
  void build(StreamExecutionEnvironment env, ContenderSpec spec) {
    Duration bound = Duration.ofMillis(W6Pairs.BOUND_MS);
    side(env, spec, spec.inputs().get(0), "left")
        .intervalJoin(side(env, spec, spec.inputs().get(1), "right"))
        .between(bound.negated(), bound)
        .process(new Pair(), PAIR)
        .name("join")
        .sinkTo(FlinkKafka.sink(spec, FlinkKafka.ValueBytes.utf8()))
        .name("output");
  }

  private static KeyedStream<Event, String> side(
      StreamExecutionEnvironment env, ContenderSpec spec, String topic, String name) {
    return env.fromSource(
            FlinkKafka.source(spec, name, List.of(topic), new FlinkKafka.Values()),
            WatermarkStrategy.<String>forBoundedOutOfOrderness(
                Duration.ofMillis(Dataset.MAX_DISORDER_MS)),
            name)
        .map(Event::parse)
        .returns(Event.class)
        .name("parse-" + name)
        .keyBy(Event::key, Types.STRING);
  }
}
