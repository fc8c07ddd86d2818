package dev.weir.perf;

import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * W9 on Flink, as Weir's {@code WeirW9}: the input is already keyed, so {@code
 * DataStreamUtils.reinterpretAsKeyedStream} with the same key selector (it parses the record, which
 * also starts the measured interval); Flink's bounded-out-of-orderness watermarks of 5 s per source
 * split from the record timestamps; 1-minute tumbling event-time windows; a {@code
 * ProcessWindowFunction} that sees every record of the window and writes {@link W9Data#summarise}
 * as key {@code <key>@<windowStart>}. A window operator with a {@code ProcessWindowFunction} and no
 * pre-aggregation keeps the window's records in its list state, here in RocksDB.
 *
 * <p>No exchange: source and windows are chained in one task. Unlike W2's, W9's flush records are
 * part of the data set, one per partition after its data ({@link W9Data}), so every split's
 * watermark passes the last window on its own and no {@link FlushSignal} is needed.
 */
final class FlinkW9 extends FlinkContender {

  /** Summarises a window's records. */
  static final class Summarise
      extends ProcessWindowFunction<String, Tuple2<String, String>, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        String key, Context ctx, Iterable<String> lines, Collector<Tuple2<String, String>> out) {
      out.collect(Tuple2.of(key + "@" + ctx.window().getStart(), W9Data.summarise(lines)));
    }
  }

  @Override
  void build(StreamExecutionEnvironment env, ContenderSpec spec) {
    DataStream<String> lines =
        env.fromSource(
            FlinkKafka.source(
                spec, "input", List.of(spec.inputs().get(0)), new FlinkKafka.Values()),
            WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofSeconds(5)),
            "input");
    DataStreamUtils.reinterpretAsKeyedStream(lines, line -> Event.parse(line).key(), Types.STRING)
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(W9Data.WINDOW_MS)))
        .process(new Summarise(), Types.TUPLE(Types.STRING, Types.STRING))
        .name("windows")
        .sinkTo(FlinkKafka.sink(spec, FlinkKafka.ValueBytes.utf8()))
        .name("output");
  }
}
