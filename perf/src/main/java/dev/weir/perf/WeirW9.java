package dev.weir.perf;

import dev.weir.WeirApplication;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.TimeWindow;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;

/**
 * W9 on Weir: the input is already keyed, so {@code reinterpretAsKeyedStream}; 1-minute tumbling
 * event-time windows with 5 s of out-of-orderness; a {@code ProcessWindowFunction} that sees every
 * record of the window (kept as list state) and writes {@link W9Data#summarise}.
 */
final class WeirW9 implements Contender {
  private WeirApplication app;

  /** Summarises a window's records. */
  static final class Summarise
      extends ProcessWindowFunction<String, KeyValue<String, String>, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        String key, Context ctx, Iterable<String> lines, Collector<KeyValue<String, String>> out) {
      out.collect(KeyValue.of(key + "@" + ctx.window().getStart(), W9Data.summarise(lines)));
    }
  }

  @Override
  public void start(ContenderSpec spec, StatusFile status) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(
            KafkaSource.topic(spec.inputs().get(0), Serdes.String()),
            WatermarkStrategy.<String>forBoundedOutOfOrderness(Duration.ofSeconds(5)),
            "input")
        .reinterpretAsKeyedStream(line -> Event.parse(line).key(), Serdes.String())
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(W9Data.WINDOW_MS)))
        .process(new Summarise())
        .uid("windows")
        .sinkTo(KafkaSink.keyValues(spec.output(), Serdes.String(), Serdes.String()));
    app = new WeirApplication(b.build(), WeirW1.properties(spec));
    WeirW1.reportFailures(app, status);
    app.start();
  }

  @Override
  public void stop() {
    if (app != null) {
      app.close(Duration.ofSeconds(30));
    }
  }
}
