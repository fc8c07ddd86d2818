package dev.weir.examples.demo;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.examples.sensors.Reading;
import dev.weir.examples.sensors.SensorAverages.SumTemperatures;
import dev.weir.examples.sensors.SensorAverages.TemperatureSum;
import dev.weir.examples.sensors.SensorAverages.ToWindowAverage;
import dev.weir.examples.sensors.WindowAverage;
import dev.weir.functions.OutputTag;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.KeyedStream;
import dev.weir.stream.Repartition;
import dev.weir.stream.SingleOutputStreamOperator;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The demo's pipeline: from sensor readings, the average temperature per sensor per 5-second
 * event-time window, an alert when a sensor's temperature rises for a second, and the readings too
 * late for their window on a side output.
 */
public final class SensorPipeline {
  /** The windows' size. */
  public static final Duration WINDOW = Duration.ofSeconds(5);

  /** How far out of order readings may arrive without being late. */
  public static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);

  /** How long a temperature must rise before an alert. */
  public static final Duration RISE = Duration.ofSeconds(1);

  /**
   * The name of the exchange by sensor; its topic is {@code
   * <application.id>-by-sensor-repartition}.
   */
  public static final String BY_SENSOR = "by-sensor";

  private SensorPipeline() {}

  /**
   * Builds the pipeline.
   *
   * @param topics the topics to read and write
   * @return the topology
   */
  public static Topology topology(DemoTopics topics) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:demo-pipeline]
    // [docs:demo-source]
    KeyedStream<Reading, String> bySensor =
        builder
            .fromSource(
                KafkaSource.topic(topics.readings(), Reading.SERDE),
                WatermarkStrategy.<Reading>forBoundedOutOfOrderness(OUT_OF_ORDERNESS)
                    .withTimestampAssigner((reading, kafkaTimestamp) -> reading.timestamp()),
                "readings")
            .keyBy(Reading::sensor, Serdes.String(), Repartition.<Reading>named(BY_SENSOR));
    // [/docs:demo-source]

    OutputTag<Reading> late = OutputTag.of("late-readings", Reading.SERDE);
    SingleOutputStreamOperator<WindowAverage> averages =
        bySensor
            .window(TumblingEventTimeWindows.of(WINDOW))
            .sideOutputLateData(late)
            .aggregate(new SumTemperatures(), TemperatureSum.SERDE, new ToWindowAverage())
            .uid("average-per-sensor");
    averages.sinkTo(
        KafkaSink.topic(topics.averages(), WindowAverage.SERDE)
            .withKey(WindowAverage::sensor, Serdes.String()));
    averages
        .getSideOutput(late)
        .sinkTo(
            KafkaSink.topic(topics.late(), Reading.SERDE)
                .withKey(Reading::sensor, Serdes.String()));

    bySensor
        .process(new RisingInEventTime(RISE))
        .uid("rising-temperature")
        .sinkTo(
            KafkaSink.topic(topics.alerts(), RiseAlert.SERDE)
                .withKey(RiseAlert::sensor, Serdes.String()));
    // [/docs:demo-pipeline]
    return builder.build();
  }

  /**
   * The settings of one instance.
   *
   * @param applicationId shared by every instance of the application
   * @param bootstrapServers the Kafka cluster
   * @param stateDir this instance's own directory for local state
   * @return the settings
   */
  public static Properties config(String applicationId, String bootstrapServers, Path stateDir) {
    // [docs:demo-config]
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(WeirConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(WeirConfig.PROCESSING_GUARANTEE_CONFIG, WeirConfig.EXACTLY_ONCE); // the default
    config.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, 1);
    // A crashed instance's tasks move after its session times out: 6 s instead of 45 s.
    config.put("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
    config.put("consumer." + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
    // [/docs:demo-config]
    return config;
  }
}
