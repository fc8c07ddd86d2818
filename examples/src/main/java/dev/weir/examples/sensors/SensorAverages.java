package dev.weir.examples.sensors;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.examples.ExampleRunner;
import dev.weir.examples.TextSerde;
import dev.weir.functions.AggregateFunction;
import dev.weir.functions.Collector;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.windowing.ProcessWindowFunction;
import dev.weir.windowing.TimeWindow;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Average temperature per sensor per 5-second event-time window. Reads {@link Reading}s from {@code
 * sensor-readings}, writes {@link WindowAverage}s to {@code sensor-averages}.
 *
 * <p>Run: {@code SensorAverages [--bootstrap-servers host:port]}.
 */
public final class SensorAverages {
  private SensorAverages() {}

  /**
   * Builds the pipeline.
   *
   * @param readingsTopic where readings come from
   * @param averagesTopic where window averages go, keyed by sensor
   * @return the topology
   */
  public static Topology topology(String readingsTopic, String averagesTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:window-average]
    builder
        .fromSource(
            KafkaSource.topic(readingsTopic, Reading.SERDE),
            WatermarkStrategy.<Reading>forBoundedOutOfOrderness(Duration.ofSeconds(2))
                .withTimestampAssigner((reading, kafkaTimestamp) -> reading.timestamp()),
            "readings")
        .keyBy(Reading::sensor, Serdes.String())
        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(5)))
        .aggregate(new SumTemperatures(), TemperatureSum.SERDE, new ToWindowAverage())
        .uid("average-per-sensor")
        .sinkTo(
            KafkaSink.topic(averagesTopic, WindowAverage.SERDE)
                .withKey(WindowAverage::sensor, Serdes.String()));
    // [/docs:window-average]
    return builder.build();
  }

  /**
   * The accumulator: how many readings and the sum of their temperatures in tenths of a degree.
   * Summing integers keeps the average independent of the order readings arrive in (adding doubles
   * in another order can change the last bit).
   *
   * @param count the number of readings
   * @param tenths the sum of their temperatures times ten
   */
  public record TemperatureSum(long count, long tenths) {
    /** Stores the accumulator as {@code count,tenths}. */
    public static final Serde<TemperatureSum> SERDE =
        TextSerde.of(
            s -> s.count() + "," + s.tenths(),
            t -> {
              String[] f = t.split(",");
              return new TemperatureSum(Long.parseLong(f[0]), Long.parseLong(f[1]));
            });

    /**
     * Returns the average temperature.
     *
     * @return the average in degrees Celsius; NaN when there are no readings
     */
    public double average() {
      return tenths / (10.0 * count);
    }
  }

  // [docs:sum-temperatures]
  /** Adds readings to a {@link TemperatureSum}, one window at a time. */
  public static final class SumTemperatures
      implements AggregateFunction<Reading, TemperatureSum, TemperatureSum> {
    private static final long serialVersionUID = 1L;

    @Override
    public TemperatureSum createAccumulator() {
      return new TemperatureSum(0, 0);
    }

    @Override
    public TemperatureSum add(Reading reading, TemperatureSum sum) {
      return new TemperatureSum(sum.count() + 1, sum.tenths() + reading.tenths());
    }

    @Override
    public TemperatureSum getResult(TemperatureSum sum) {
      return sum;
    }

    @Override
    public TemperatureSum merge(TemperatureSum a, TemperatureSum b) {
      return new TemperatureSum(a.count() + b.count(), a.tenths() + b.tenths());
    }
  }

  /** Turns the window's sum into a {@link WindowAverage} that names the sensor and the window. */
  public static final class ToWindowAverage
      extends ProcessWindowFunction<TemperatureSum, WindowAverage, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(
        String sensor, Context ctx, Iterable<TemperatureSum> sums, Collector<WindowAverage> out) {
      TemperatureSum sum = sums.iterator().next(); // aggregate() passes exactly one result
      TimeWindow window = ctx.window();
      out.collect(
          new WindowAverage(
              sensor, window.getStart(), window.getEnd(), sum.count(), sum.average()));
    }
  }

  // [/docs:sum-temperatures]

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "sensor-averages");
    ExampleRunner.run(
        args,
        config,
        topology("sensor-readings", "sensor-averages"),
        "sensor-readings",
        "sensor-averages");
  }
}
