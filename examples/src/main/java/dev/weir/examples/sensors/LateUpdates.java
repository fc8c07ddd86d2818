package dev.weir.examples.sensors;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.examples.ExampleRunner;
import dev.weir.examples.sensors.SensorAverages.SumTemperatures;
import dev.weir.examples.sensors.SensorAverages.TemperatureSum;
import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.SingleOutputStreamOperator;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.TimeWindow;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Window averages that accept late readings for 10 seconds: each window emits a first result when
 * the watermark passes its end, then an updated result for every late reading that arrives within
 * the allowed lateness. Readings later than that go to a side output. Reads {@code
 * sensor-readings}; writes {@code sensor-averages-updated} and {@code readings-too-late}.
 *
 * <p>Run: {@code LateUpdates [--bootstrap-servers host:port]}.
 */
public final class LateUpdates {
  private LateUpdates() {}

  /**
   * Builds the pipeline.
   *
   * @param readingsTopic where readings come from
   * @param averagesTopic where first and updated results go
   * @param tooLateTopic where readings too late for their window go
   * @return the topology
   */
  public static Topology topology(String readingsTopic, String averagesTopic, String tooLateTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:allowed-lateness]
    OutputTag<Reading> tooLate = OutputTag.of("too-late", Reading.SERDE);
    SingleOutputStreamOperator<String> averages =
        builder
            .fromSource(
                KafkaSource.topic(readingsTopic, Reading.SERDE),
                WatermarkStrategy.<Reading>forBoundedOutOfOrderness(Duration.ofSeconds(2))
                    .withTimestampAssigner((reading, kafkaTimestamp) -> reading.timestamp()),
                "readings")
            .keyBy(Reading::sensor, Serdes.String())
            .window(TumblingEventTimeWindows.of(Duration.ofSeconds(5)))
            .allowedLateness(Duration.ofSeconds(10))
            .sideOutputLateData(tooLate)
            .aggregate(new SumTemperatures(), TemperatureSum.SERDE, new FirstAndUpdates())
            .uid("average-with-updates");
    averages.sinkTo(KafkaSink.topic(averagesTopic, Serdes.String()));
    averages.getSideOutput(tooLate).sinkTo(KafkaSink.topic(tooLateTopic, Reading.SERDE));
    // [/docs:allowed-lateness]
    return builder.build();
  }

  // [docs:first-and-updates]
  /** Labels each result of a window: the first one, then updates 1, 2, ... */
  static final class FirstAndUpdates
      extends ProcessWindowFunction<TemperatureSum, String, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private static final ValueStateDescriptor<Integer> FIRINGS =
        new ValueStateDescriptor<>("firings", Serdes.Integer(), 0);

    @Override
    public void process(
        String sensor, Context ctx, Iterable<TemperatureSum> sums, Collector<String> out) {
      ValueState<Integer> firings = ctx.windowState().getState(FIRINGS);
      int n = firings.value();
      firings.update(n + 1);
      TemperatureSum sum = sums.iterator().next();
      out.collect(
          String.format(
              java.util.Locale.ROOT,
              "%s [%d,%d) average %.2f of %d readings, %s",
              sensor,
              ctx.window().getStart(),
              ctx.window().getEnd(),
              sum.average(),
              sum.count(),
              n == 0 ? "first result" : "update " + n));
    }

    @Override
    public void clear(Context ctx) {
      ctx.windowState().getState(FIRINGS).clear(); // the window is gone: drop its per-window state
    }
  }

  // [/docs:first-and-updates]

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "late-updates");
    ExampleRunner.run(
        args,
        config,
        topology("sensor-readings", "sensor-averages-updated", "readings-too-late"),
        "sensor-readings",
        "sensor-averages-updated",
        "readings-too-late");
  }
}
