package dev.weir.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import dev.weir.testkit.postgres.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once PostgreSQL sink on the real broker and a real PostgreSQL: instances halted (as
 * by {@code kill -9}) at each protocol step, then killed at a random moment while another runs;
 * afterwards the table holds every input exactly once and no prepared transaction is left.
 */
class PostgresSinkCrashIT {
  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap, String url, String name, String step, int nth)
      throws Exception {
    return JavaProcess.builder(PostgresPipelineMain.class)
        .name(name)
        .args(bootstrap, url, tmp.resolve(name).toString(), step, Integer.toString(nth))
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
        .logFile(
            Path.of("target", "it-logs", "pg-crash-" + name + "-" + System.nanoTime() + ".log"))
        .start();
  }

  @Test
  void everyRowOnceAfterCrashesAtEachStepAndAtRandom() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    System.out.println("PostgresSinkCrashIT seed " + seed);
    String url = PostgresServer.shared().createDatabase("crash");
    sql(url, "CREATE TABLE events (seq int NOT NULL, k text NOT NULL)");
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("in", 4);
      List<JavaProcess> all = new ArrayList<>();
      try {
        produce(bs, 0, 3_000);
        // One instance after the other, each halted at one step of the protocol.
        for (String step : List.of("preCommit", "commit", "recoverAndCommit")) {
          JavaProcess p = instance(bs, url, "a", step, step.equals("recoverAndCommit") ? 1 : 3);
          all.add(p);
          assertThat(p.waitFor(Duration.ofSeconds(90))).as(step + " halted").isTrue();
          assertThat(p.exitCode()).as(step).hasValue(137);
        }
        JavaProcess a = instance(bs, url, "a", "none", 0);
        JavaProcess b = instance(bs, url, "b", "none", 0);
        all.add(a);
        all.add(b);
        produce(bs, 3_000, 6_000);
        int killAt = 3_000 + random.nextInt(2_500);
        await().atMost(Duration.ofSeconds(90)).until(() -> count(url) >= killAt);
        a.kill();
        assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
        produce(bs, 6_000, 8_000);
        JavaProcess a2 = instance(bs, url, "a", "none", 0);
        all.add(a2);
        await().atMost(Duration.ofSeconds(120)).until(() -> count(url) >= 8_000);
        assertThat(a2.stop(Duration.ofSeconds(30))).isTrue();
        assertThat(b.stop(Duration.ofSeconds(30))).isTrue();

        List<String> wrong =
            query(
                url,
                "SELECT seq || ' x' || count(*) FROM events GROUP BY seq HAVING count(*) <> 1"
                    + " ORDER BY seq LIMIT 20");
        assertThat(wrong).as("duplicated (seed %d)", seed).isEmpty();
        assertThat(query(url, "SELECT count(*) || '/' || min(seq) || '/' || max(seq) FROM events"))
            .as("count/min/max")
            .containsExactly("8000/0/7999");
        assertThat(
                query(url, "SELECT gid FROM pg_prepared_xacts WHERE database = current_database()"))
            .as("prepared transactions left")
            .isEmpty();
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }

  private static void produce(String bootstrap, int from, int to) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(c, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        String key = "k" + (i % 64);
        p.send(new ProducerRecord<>("in", key, key + ":" + i));
      }
      p.flush();
    }
  }

  private static int count(String url) throws SQLException {
    return Integer.parseInt(query(url, "SELECT count(*) FROM events").get(0));
  }

  private static List<String> query(String url, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void sql(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
