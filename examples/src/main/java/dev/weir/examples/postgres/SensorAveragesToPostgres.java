package dev.weir.examples.postgres;

import dev.weir.WeirConfig;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.examples.ExampleRunner;
import dev.weir.examples.sensors.Reading;
import dev.weir.examples.sensors.SensorAverages;
import dev.weir.examples.sensors.WindowAverage;
import dev.weir.postgres.PostgresSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Average temperature per sensor per 5-second event-time window, upserted into PostgreSQL: one row
 * per (sensor, window start), the table {@link #CREATE_TABLE} describes.
 *
 * <p>The upsert mode needs no prepared transactions: the key (sensor, window start) is
 * deterministic, so a result written again after a crash overwrites the same row with the same
 * value (design table I6). Readers may see a window's row before the Kafka commit that covers it,
 * never a wrong one.
 *
 * <p>Run: {@code SensorAveragesToPostgres --jdbc-url jdbc:postgresql://host/db?user=...
 * [--bootstrap-servers host:port]}.
 */
public final class SensorAveragesToPostgres {
  private SensorAveragesToPostgres() {}

  /** The table the results go into. */
  public static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS sensor_averages (sensor text NOT NULL, window_start bigint NOT"
          + " NULL, window_end bigint NOT NULL, readings bigint NOT NULL, average double precision"
          + " NOT NULL, PRIMARY KEY (sensor, window_start))";

  /**
   * Builds the pipeline.
   *
   * @param readingsTopic where readings come from
   * @param jdbcUrl the database holding table {@code sensor_averages}
   * @return the topology
   */
  public static Topology topology(String readingsTopic, String jdbcUrl) {
    StreamBuilder builder = new StreamBuilder();
    // [docs:postgres-upsert]
    builder
        .fromSource(
            KafkaSource.topic(readingsTopic, Reading.SERDE),
            WatermarkStrategy.<Reading>forBoundedOutOfOrderness(Duration.ofSeconds(2))
                .withTimestampAssigner((reading, kafkaTimestamp) -> reading.timestamp()),
            "readings")
        .keyBy(Reading::sensor, Serdes.String())
        .window(TumblingEventTimeWindows.of(Duration.ofSeconds(5)))
        .aggregate(
            new SensorAverages.SumTemperatures(),
            SensorAverages.TemperatureSum.SERDE,
            new SensorAverages.ToWindowAverage())
        .uid("average-per-sensor")
        .sinkTo(
            PostgresSink.<WindowAverage>builder()
                .url(jdbcUrl)
                .mode(PostgresSink.Mode.UPSERT)
                .sql(
                    PostgresSink.upsertSql(
                        "sensor_averages",
                        List.of("sensor", "window_start"),
                        List.of("window_end", "readings", "average")))
                .statementBuilder(
                    (statement, a) -> {
                      statement.setString(1, a.sensor());
                      statement.setLong(2, a.start());
                      statement.setLong(3, a.end());
                      statement.setLong(4, a.readings());
                      statement.setDouble(5, a.average());
                    })
                .batchSize(500)
                .build())
        .uid("sensor-averages-db");
    // [/docs:postgres-upsert]
    return builder.build();
  }

  /**
   * Runs the example; creates the table when missing.
   *
   * @param args {@code --jdbc-url url [--bootstrap-servers host:port]}
   * @throws Exception when it cannot start
   */
  public static void main(String[] args) throws Exception {
    String url = null;
    List<String> rest = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--jdbc-url") && i + 1 < args.length) {
        url = args[++i];
      } else {
        rest.add(args[i]);
      }
    }
    if (url == null) {
      throw new IllegalArgumentException(
          "usage: --jdbc-url jdbc:postgresql://host/db?user=... [--bootstrap-servers host:port]");
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
        java.sql.Statement s = c.createStatement()) {
      s.execute(CREATE_TABLE);
    }
    Properties config = new Properties();
    config.put(WeirConfig.APPLICATION_ID_CONFIG, "sensor-averages-to-postgres");
    ExampleRunner.run(
        rest.toArray(String[]::new), config, topology("sensor-readings", url), "sensor-readings");
  }
}
