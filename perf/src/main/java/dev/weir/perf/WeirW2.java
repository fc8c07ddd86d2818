package dev.weir.perf;

import dev.weir.WeirApplication;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyValue;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.TimeWindow;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * W2 on Weir: watermarks with 5 s of out-of-orderness on the source, key by the event's key (a
 * repartition, which carries the watermarks), 10 s tumbling event-time windows, an incremental
 * count, one final result per window written as key {@code <key>@<windowStart>} and a long count.
 */
final class WeirW2 implements Contender {
  /**
   * A partition that is caught up and has had no record for this long stops holding the watermark
   * back: the run's flush topic is empty until the end, and the data set's partitions run dry
   * before the flush arrives. (Without idleness the empty flush partitions would hold every
   * watermark at its minimum until the end, so no record would ever be late.) Short, because a
   * replay of 500,000 records takes a few seconds and the flush partitions would otherwise hold
   * event time back through much of it; data partitions are never idle while they have a backlog,
   * whatever the timeout.
   */
  static final Duration IDLENESS = Duration.ofMillis(100);

  private WeirApplication app;

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
      extends ProcessWindowFunction<Long, KeyValue<String, Long>, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        String key, Context ctx, Iterable<Long> counts, Collector<KeyValue<String, Long>> out) {
      out.collect(KeyValue.of(key + "@" + ctx.window().getStart(), counts.iterator().next()));
    }
  }

  @Override
  public void start(ContenderSpec spec, StatusFile status) {
    StreamBuilder b = new StreamBuilder();
    List<String> in = spec.inputs();
    b.fromSource(
            KafkaSource.topic(
                in.get(0), Serdes.String(), in.subList(1, in.size()).toArray(String[]::new)),
            WatermarkStrategy.<String>forBoundedOutOfOrderness(
                    Duration.ofMillis(Dataset.MAX_DISORDER_MS))
                .withIdleness(IDLENESS),
            "input")
        .keyBy(
            line -> Event.parse(line).key(),
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .window(TumblingEventTimeWindows.of(Duration.ofMillis(Dataset.WINDOW_MS)))
        .aggregate(new Count<>(), Serdes.Long(), new Label())
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
