package dev.weir.examples.sensors;

import dev.weir.WeirConfig;
import dev.weir.examples.ExampleRunner;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Alerts when a sensor's temperature keeps rising for one second of wall-clock time: every reading
 * above the previous one starts a processing-time timer unless one is pending; a reading that is
 * not higher cancels it; a timer that fires is the alert. Reads {@code sensor-readings}, writes
 * {@code temperature-alerts}.
 *
 * <p>Processing time makes the alert depend on when readings arrive, not on when they were
 * measured: replaying old data gives other alerts. The demo's pipeline does the same in event time.
 *
 * <p>Run: {@code RisingTemperatureAlert [--bootstrap-servers host:port]}.
 */
public final class RisingTemperatureAlert {
  private RisingTemperatureAlert() {}

  /**
   * Builds the pipeline.
   *
   * @param readingsTopic where readings come from
   * @param alertsTopic where alerts go
   * @param rising how long the temperature must rise
   * @return the topology
   */
  public static Topology topology(String readingsTopic, String alertsTopic, Duration rising) {
    StreamBuilder builder = new StreamBuilder();
    builder
        .fromSource(KafkaSource.topic(readingsTopic, Reading.SERDE), "readings")
        .keyBy(Reading::sensor, Serdes.String())
        .process(new RisingFor(rising))
        .uid("rising-temperature")
        .sinkTo(KafkaSink.topic(alertsTopic, Serdes.String()));
    return builder.build();
  }

  // [docs:rising-for]
  /** Emits an alert when a sensor's readings have risen for {@code duration} of processing time. */
  public static final class RisingFor extends KeyedProcessFunction<String, Reading, String> {
    private static final long serialVersionUID = 1L;

    private final long durationMs;
    private transient ValueState<Double> lastTemperature;
    private transient ValueState<Long> pendingTimer;

    /**
     * Creates the function.
     *
     * @param duration how long the temperature must rise before an alert
     */
    public RisingFor(Duration duration) {
      this.durationMs = duration.toMillis();
    }

    @Override
    public void open() {
      lastTemperature =
          getRuntimeContext()
              .getState(new ValueStateDescriptor<>("last-temperature", Serdes.Double()));
      pendingTimer =
          getRuntimeContext().getState(new ValueStateDescriptor<>("pending-timer", Serdes.Long()));
    }

    @Override
    public void processElement(Reading reading, Context ctx, Collector<String> out) {
      Double previous = lastTemperature.value();
      lastTemperature.update(reading.celsius());
      Long timer = pendingTimer.value();
      if (previous != null && reading.celsius() > previous) {
        if (timer == null) {
          long at = ctx.timerService().currentProcessingTime() + durationMs;
          ctx.timerService().registerProcessingTimeTimer(at);
          pendingTimer.update(at);
        }
      } else if (timer != null) {
        ctx.timerService().deleteProcessingTimeTimer(timer);
        pendingTimer.clear();
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
      out.collect(
          "Temperature of "
              + ctx.getCurrentKey()
              + " has been rising for "
              + durationMs
              + " ms, now "
              + lastTemperature.value());
      pendingTimer.clear();
    }
  }

  // [/docs:rising-for]

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "rising-temperature-alert");
    ExampleRunner.run(
        args,
        config,
        topology("sensor-readings", "temperature-alerts", Duration.ofSeconds(1)),
        "sensor-readings",
        "temperature-alerts");
  }
}
