package dev.weir.examples.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.examples.sensors.Reading;
import dev.weir.testing.TestInputTopic;
import dev.weir.testing.WeirTestDriver;
import dev.weir.testkit.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example on the test driver, writing into a real PostgreSQL (testkit's embedded one). */
class SensorAveragesToPostgresIT {
  private String url;

  @BeforeEach
  void createTable() throws SQLException {
    // [docs:postgres-test-database]
    url = PostgresServer.shared().createDatabase("examples"); // a fresh database of this test
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(SensorAveragesToPostgres.CREATE_TABLE);
    }
    // [/docs:postgres-test-database]
  }

  @Test
  void upsertsOneRowPerSensorAndWindowAndAReplayLeavesTheSameRows() throws Exception {
    List<String> first = run();
    assertThat(first).containsExactly("s1|0|5000|3|21", "s1|5000|10000|1|23", "s2|0|5000|1|10");
    // Processing the same input again (a replay after a crash) overwrites with the same values.
    assertThat(run()).isEqualTo(first);
  }

  private List<String> run() throws SQLException {
    try (WeirTestDriver driver =
        new WeirTestDriver(SensorAveragesToPostgres.topology("readings", url))) {
      TestInputTopic<String, Reading> readings =
          driver.createInputTopic("readings", new StringSerializer(), Reading.SERDE.serializer());
      readings.pipeInput("s1", new Reading("s1", 1_000, 20.0), 1_000);
      readings.pipeInput("s1", new Reading("s1", 4_000, 22.0), 4_000);
      readings.pipeInput("s2", new Reading("s2", 3_000, 10.0), 3_000);
      readings.pipeInput("s1", new Reading("s1", 2_500, 21.0), 2_500);
      readings.pipeInput("s1", new Reading("s1", 6_000, 23.0), 6_000);
      readings.pipeInput("s3", new Reading("s3", 20_000, 15.0), 20_000); // closes 0-5 s and 5-10 s
    }
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT sensor || '|' || window_start || '|' || window_end || '|' || readings"
                    + " || '|' || average FROM sensor_averages ORDER BY sensor, window_start")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
