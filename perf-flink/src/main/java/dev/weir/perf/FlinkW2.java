package dev.weir.perf;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * W2 and W2K on Flink: watermarks with 5 s of out-of-orderness per source split from the record
 * timestamps, 10 s tumbling event-time windows, an incremental count, one final result per window
 * written as key {@code <key>@<windowStart>} and a long count.
 *
 * <ul>
 *   <li>W2: {@code map(parse)} and {@code keyBy(Event::key)}: an exchange between two tasks, which
 *       ships the parsed events;
 *   <li>W2K: the record keys and values, {@code DataStreamUtils.reinterpretAsKeyedStream} on the
 *       record key: no exchange, source and windows chained in one task.
 * </ul>
 *
 * <p>The flush records that close the last windows arrive on a topic of their own once the data set
 * is consumed: see {@link FlushSignal}.
 */
final class FlinkW2 extends FlinkContender {
  private static final TypeInformation<Tuple2<String, Long>> RESULT =
      Types.TUPLE(Types.STRING, Types.LONG);

  private final boolean keyed;

  /**
   * @param keyed W2K (the input is keyed by its record keys) rather than W2
   */
  FlinkW2(boolean keyed) {
    this.keyed = keyed;
  }

  /** Counts records. */
  static final class Count<T> implements AggregateFunction<T, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(T value, Long count) {
      return count + 1;
    }

    @Override
    public Long getResult(Long count) {
      return count;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  /** Names the result by key and window start. */
  static final class Label
      extends ProcessWindowFunction<Long, Tuple2<String, Long>, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        String key, Context ctx, Iterable<Long> counts, Collector<Tuple2<String, Long>> out) {
      out.collect(Tuple2.of(key + "@" + ctx.window().getStart(), counts.iterator().next()));
    }
  }

  @Override
  void build(StreamExecutionEnvironment env, ContenderSpec spec) {
    List<String> in = spec.inputs();
    KeyedStream<?, String> byKey =
        keyed ? preKeyed(env, spec, in.get(0)) : keyBy(env, spec, in.get(0));
    count(byKey).sinkTo(FlinkKafka.sink(spec, FlinkKafka.ValueBytes.int64())).name("output");
    // A copy: the source is serialised with the job graph, and a subList view is not Serializable.
    FlushSignal.listen(env, spec, new java.util.ArrayList<>(in.subList(1, in.size())));
  }

  private static KeyedStream<Event, String> keyBy(
      StreamExecutionEnvironment env, ContenderSpec spec, String topic) {
    return env.fromSource(
            FlinkKafka.source(spec, "input", List.of(topic), new FlinkKafka.Values()),
            FlushSignal.<String>watermarks(Dataset.MAX_DISORDER_MS),
            "input")
        .map(Event::parse)
        .returns(Event.class)
        .name("parse")
        .keyBy(Event::key, Types.STRING);
  }

  private static KeyedStream<Tuple2<String, String>, String> preKeyed(
      StreamExecutionEnvironment env, ContenderSpec spec, String topic) {
    DataStream<Tuple2<String, String>> records =
        env.fromSource(
            FlinkKafka.source(spec, "input", List.of(topic), new FlinkKafka.KeyValues()),
            FlushSignal.<Tuple2<String, String>>watermarks(Dataset.MAX_DISORDER_MS),
            "input");
    return DataStreamUtils.reinterpretAsKeyedStream(records, r -> r.f0, Types.STRING);
  }

  private static <T> DataStream<Tuple2<String, Long>> count(KeyedStream<T, String> byKey) {
    return byKey
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(Dataset.WINDOW_MS)))
        .aggregate(new Count<T>(), new Label(), Types.LONG, Types.LONG, RESULT)
        .name("counts");
  }
}
