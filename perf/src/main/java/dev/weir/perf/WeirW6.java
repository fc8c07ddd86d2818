package dev.weir.perf;

import dev.weir.WeirApplication;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.Collector;
import dev.weir.functions.ProcessJoinFunction;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyedStream;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;

/**
 * W6 on Weir: two source topics with watermarks of 5 s out-of-orderness, each keyed by the event's
 * key (a repartition per side), an interval join with bounds of -10 s and +10 s, one output per
 * pair {@code "<leftSeq>,<rightSeq>"} keyed by the key. Late records (the data set's two-hour-late
 * ones) are dropped and counted.
 */
final class WeirW6 implements Contender {
  private WeirApplication app;

  /** {@code "<leftSeq>,<rightSeq>"}. */
  static final class Pair extends ProcessJoinFunction<String, String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String left, String right, Context ctx, Collector<String> out) {
      out.collect(
          left.substring(0, left.indexOf(',')) + "," + right.substring(0, right.indexOf(',')));
    }
  }

  static String keyOf(String line) {
    return Event.parse(line).key();
  }

  private static KeyedStream<String, String> side(StreamBuilder b, String topic, String name) {
    return b.fromSource(
            KafkaSource.topic(topic, Serdes.String()),
            WatermarkStrategy.<String>forBoundedOutOfOrderness(
                Duration.ofMillis(Dataset.MAX_DISORDER_MS)),
            name)
        .keyBy(
            WeirW6::keyOf,
            Serdes.String(),
            Repartition.<String>named(name + "-by-key").withValueSerde(Serdes.String()));
  }

  @Override
  public void start(ContenderSpec spec, StatusFile status) {
    StreamBuilder b = new StreamBuilder();
    Duration bound = Duration.ofMillis(W6Pairs.BOUND_MS);
    side(b, spec.inputs().get(0), "left")
        .intervalJoin(side(b, spec.inputs().get(1), "right"))
        .between(bound.negated(), bound)
        .process(new Pair())
        .uid("join")
        .sinkTo(KafkaSink.topic(spec.output(), Serdes.String()));
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
