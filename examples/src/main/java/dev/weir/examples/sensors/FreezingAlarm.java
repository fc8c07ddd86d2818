package dev.weir.examples.sensors;

import dev.weir.WeirConfig;
import dev.weir.examples.ExampleRunner;
import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.functions.ProcessFunction;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.SingleOutputStreamOperator;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Passes every reading through and, for readings below 0 °C, also emits an alarm to a side output.
 * Reads {@code sensor-readings}; writes the readings to {@code readings-checked} and the alarms to
 * {@code freezing-alarms}.
 *
 * <p>Run: {@code FreezingAlarm [--bootstrap-servers host:port]}.
 */
public final class FreezingAlarm {
  private FreezingAlarm() {}

  // [docs:freezing-tag]
  /** The side output of alarms; the serde is used where it is written to a topic. */
  static final OutputTag<String> FREEZING = OutputTag.of("freezing-alarms", Serdes.String());

  // [/docs:freezing-tag]

  /**
   * Builds the pipeline.
   *
   * @param readingsTopic where readings come from
   * @param checkedTopic where every reading goes
   * @param alarmsTopic where alarms go
   * @return the topology
   */
  public static Topology topology(String readingsTopic, String checkedTopic, String alarmsTopic) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:side-output]
    SingleOutputStreamOperator<Reading> checked =
        builder
            .fromSource(KafkaSource.topic(readingsTopic, Reading.SERDE), "readings")
            .process(new FreezingMonitor())
            .name("freezing-monitor");
    checked.sinkTo(KafkaSink.topic(checkedTopic, Reading.SERDE));
    checked.getSideOutput(FREEZING).sinkTo(KafkaSink.topic(alarmsTopic, Serdes.String()));
    // [/docs:side-output]
    return builder.build();
  }

  // [docs:freezing-monitor]
  /** Emits each reading, and an alarm to {@link #FREEZING} for readings below zero. */
  static final class FreezingMonitor extends ProcessFunction<Reading, Reading> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(Reading reading, Context ctx, Collector<Reading> out) {
      if (reading.celsius() < 0.0) {
        ctx.output(FREEZING, "Freezing alarm for " + reading.sensor() + ": " + reading.celsius());
      }
      out.collect(reading);
    }
  }

  // [/docs:freezing-monitor]

  /**
   * Runs the example.
   *
   * @param args {@code [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "freezing-alarm");
    ExampleRunner.run(
        args,
        config,
        topology("sensor-readings", "readings-checked", "freezing-alarms"),
        "sensor-readings",
        "readings-checked",
        "freezing-alarms");
  }
}
