package dev.weir.postgres;

import dev.weir.ApplicationState;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import dev.weir.testkit.JavaProcess;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One instance of "in" ("key:seq") -> PostgreSQL table {@code events(seq)} in its own JVM, for
 * crash tests. Arguments: bootstrap, JDBC URL, state dir, crash step, n (see {@link CrashingSink}),
 * mode (EXACTLY_ONCE or UPSERT). Runs until killed, halted or its parent dies.
 */
public final class PostgresPipelineMain {
  private PostgresPipelineMain() {}

  public static void main(String[] args) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    PostgresSink.Mode mode = PostgresSink.Mode.valueOf(args.length > 5 ? args[5] : "EXACTLY_ONCE");
    PostgresSink<String> sink =
        PostgresSink.<String>builder()
            .url(args[1])
            .sql(
                mode == PostgresSink.Mode.UPSERT
                    ? PostgresSink.upsertSql(
                        "events", java.util.List.of("seq"), java.util.List.of("k"))
                    : "INSERT INTO events (seq, k) VALUES (?, ?)")
            .statementBuilder(
                (ps, v) -> {
                  ps.setInt(1, Integer.parseInt(v.substring(v.indexOf(':') + 1)));
                  ps.setString(2, v.substring(0, v.indexOf(':')));
                })
            .mode(mode)
            .batchSize(100)
            .build();
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .sinkTo(new CrashingSink<>(sink, args[3], Integer.parseInt(args[4])))
        .uid("events-db");
    Properties p = new Properties();
    p.put(WeirConfig.APPLICATION_ID_CONFIG, "pg-crash");
    p.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.put(WeirConfig.STATE_DIR_CONFIG, args[2]);
    p.put(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
    p.put("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    p.put("consumer." + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    p.put("consumer." + ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "200");
    WeirApplication app = new WeirApplication(b.build(), p);
    CountDownLatch stopped = new CountDownLatch(1);
    app.setStateListener(
        (now, before) -> {
          System.out.println("STATE " + now);
          if (now.isTerminal()) {
            stopped.countDown();
          }
        });
    Runtime.getRuntime().addShutdownHook(new Thread(app::close));
    app.start();
    stopped.await();
    System.exit(app.state() == ApplicationState.ERROR ? 1 : 0);
  }
}
