package dev.weir.chaos;

import dev.weir.ApplicationState;
import dev.weir.KafkaClientSupplier;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.testkit.JavaProcess;
import dev.weir.testkit.faults.FaultInjector;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * One Weir instance of the chaos pipeline, run by the driver in its own JVM. Runs until killed,
 * halted by its {@link CrashSwitch}, stopped (SIGTERM: a clean close), or its parent dies. Exits
 * with 1 when the application fails (state ERROR).
 *
 * <p>Options: {@code --bootstrap --app-id --state-dir --in --out --control-file} (required), {@code
 * --windows-out --joins-out --guarantee --threads --commit-interval-ms --replication-factor
 * --watermark-interval-ms --commit-fault-rate --seed --slow-every --slow-ms --files-dir --pg-url
 * --window-contents --restore --commit-wal --static-id} (the last: a static member with a liveness
 * listener, design record 021).
 */
public final class ChaosInstance {
  private ChaosInstance() {}

  public static void main(String[] argv) throws InterruptedException {
    JavaProcess.exitWhenParentDies();
    Args args = new Args(argv);
    String out = args.get("out");
    Map<String, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, args.get("app-id"));
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, args.get("bootstrap"));
    props.put(WeirConfig.STATE_DIR_CONFIG, args.get("state-dir"));
    props.put(
        WeirConfig.PROCESSING_GUARANTEE_CONFIG, args.get("guarantee", WeirConfig.EXACTLY_ONCE));
    props.put(WeirConfig.NUM_STREAM_THREADS_CONFIG, args.get("threads", "1"));
    props.put(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, args.get("commit-interval-ms", "100"));
    props.put(WeirConfig.REPLICATION_FACTOR_CONFIG, args.get("replication-factor", "-1"));
    String watermarkInterval = args.get("watermark-interval-ms", "");
    if (!watermarkInterval.isEmpty()) {
      props.put(WeirConfig.WATERMARK_INTERVAL_MS_CONFIG, watermarkInterval);
    }
    if (args.get("restore", "default").equals("bulk-raw")) {
      // Every restore bulk-loads and reads raw (records 019 and 030): set explicitly, since the
      // fault-injecting supplier below turns raw fetches off by default.
      props.put(WeirConfig.STATE_RESTORE_BULK_LOAD_RECORDS_CONFIG, "0");
      props.put(WeirConfig.STATE_RESTORE_RAW_FETCH_CONFIG, "true");
    }
    if (args.get("commit-wal", "true").equals("false")) {
      // Commits skip RocksDB's WAL (design record 045): a kill -9 loses what was not flushed.
      props.put(WeirConfig.STATE_ROCKSDB_COMMIT_WAL_CONFIG, "false");
    }
    // Fail over quickly when a member is killed: the group notices in 6 s, not 45 s.
    props.put("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000");
    props.put("consumer." + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    String staticId = args.get("static-id", "");
    if (!staticId.isEmpty()) {
      props.put("consumer." + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, staticId);
      props.put(WeirConfig.LIVENESS_LISTENER_CONFIG, "127.0.0.1:0");
    }
    FaultInjector faults =
        ChaosFaults.injector(
            new CrashSwitch(Path.of(args.get("control-file"))),
            args.getDouble("commit-fault-rate", 0),
            args.getLong("seed", 0));
    // Faults on the producers only; consumers and admin clients are the real ones.
    KafkaClientSupplier clients =
        KafkaClientSupplier.decorating(
            KafkaClientSupplier.defaults(),
            faults::producer,
            UnaryOperator.identity(),
            UnaryOperator.identity());
    WeirApplication app =
        new WeirApplication(
            ChaosPipeline.topology(
                ChaosPipeline.Kind.valueOf(args.get("kind", "COUNT_WINDOWS_AND_JOIN")),
                args.get("in"),
                out,
                args.get("windows-out", "chaos-windows"),
                args.get("joins-out", "chaos-joins"),
                args.getInt("slow-every", 0),
                args.getInt("slow-ms", 0),
                args.get("files-dir", ""),
                args.get("pg-url", ""),
                args.get("window-contents", "aggregate").equals("list")),
            props,
            clients);
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
