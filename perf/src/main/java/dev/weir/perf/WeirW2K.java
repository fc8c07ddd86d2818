package dev.weir.perf;

import dev.weir.WeirApplication;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.StreamBuilder;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * W2K on Weir: the input is already partitioned by its record keys, so {@code
 * reinterpretAsKeyedStream} on the record key (no repartition topic), watermarks with 5 s of
 * out-of-orderness from the record timestamps, 10 s tumbling event-time windows, an incremental
 * count, one final result per window written as W2's are.
 */
final class WeirW2K implements Contender {
  private WeirApplication app;

  @Override
  public void start(ContenderSpec spec, StatusFile status) {
    StreamBuilder b = new StreamBuilder();
    List<String> in = spec.inputs();
    b.fromSource(
            KafkaSource.keyValues(
                in.get(0),
                Serdes.String(),
                MarkingStrings.serde(),
                in.subList(1, in.size()).toArray(String[]::new)),
            WatermarkStrategy.<KeyValue<String, String>>forBoundedOutOfOrderness(
                    Duration.ofMillis(Dataset.MAX_DISORDER_MS))
                .withIdleness(WeirW2.IDLENESS),
            "input")
        .reinterpretAsKeyedStream(KeyValue::key, Serdes.String())
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(Dataset.WINDOW_MS)))
        .aggregate(new WeirW2.Count<>(), Serdes.Long(), new WeirW2.Label())
        .uid("counts")
        .sinkTo(KafkaSink.keyValues(spec.output(), Serdes.String(), Serdes.Long()));
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
