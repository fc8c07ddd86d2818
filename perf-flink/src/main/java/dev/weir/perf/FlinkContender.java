package dev.weir.perf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink side of a workload: subclasses only build the job. Flink 2.2.1 in a local environment
 * (the job manager and one task manager inside this JVM), parallelism 1, the RocksDB state backend
 * (managed memory, full checkpoints), checkpoints every second, exactly-once or at-least-once by
 * the run's mode, no restarts (a failure fails the run, as it does for the other contenders), and
 * the tuning of {@link #tune}; defaults otherwise. {@link #EXTRA_CONFIG_ENV} adds or overrides
 * settings for experiments.
 *
 * <p>Under exactly-once, output becomes visible to the harness's {@code read_committed} consumer
 * when the checkpoint that covers it completes and the sink commits its transaction, so up to a
 * second after it was written: the measured interval ends there, as for the others it ends at their
 * commit. Source offsets are committed to the application id's group at each completed checkpoint,
 * which is where the harness sees the input consumed.
 */
abstract class FlinkContender implements Contender {
  static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

  private volatile JobClient job;
  private volatile boolean stopping;

  abstract void build(StreamExecutionEnvironment env, ContenderSpec spec);

  static Configuration configuration(ContenderSpec spec) {
    Configuration c = new Configuration();
    Path state = spec.stateDir().toAbsolutePath();
    c.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
    c.set(
        CheckpointingOptions.CHECKPOINTS_DIRECTORY,
        state.resolve("checkpoints").toUri().toString());
    c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, CHECKPOINT_INTERVAL);
    c.set(
        CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
        spec.exactlyOnce() ? CheckpointingMode.EXACTLY_ONCE : CheckpointingMode.AT_LEAST_ONCE);
    c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    // RocksDB's working files under the run's state directory, which the harness deletes.
    c.set(RocksDBOptions.LOCAL_DIRECTORIES, state.resolve("rocksdb").toString());
    tune(c);
    c.addAll(Configuration.fromMap(extraConfig(System.getenv(EXTRA_CONFIG_ENV))));
    return c;
  }

  // ---- Tuning (session 14, branch s14-flinkfair): what an expert Flink user would set within the
  // contender's rules (local environment, parallelism 1, RocksDB state backend, exactly-once
  // checkpoints every second, exactly-once KafkaSink). See docs/performance.md, "Contenders".

  /**
   * The settings an expert would change from Flink's defaults for these jobs.
   *
   * <ul>
   *   <li>Timers on the heap ({@code state.backend.rocksdb.timer-service.factory: HEAP}): the
   *       RocksDB backend keeps timers in RocksDB by default, so every window (W2, W2K) or join
   *       cleanup (W6) timer registered per record is a serialised RocksDB write, and every fired
   *       one a read and a delete. These jobs hold tens of thousands of timers at a time, a few MB
   *       of heap; the window contents and the join buffers stay in RocksDB, and the heap timers
   *       are written into every checkpoint.
   *   <li>Object reuse ({@code pipeline.object-reuse: true}): without it every record is copied
   *       with its serializer between chained operators. No function here keeps or changes a record
   *       it was given, which is the condition Flink documents for turning it on.
   * </ul>
   */
  static void tune(Configuration c) {
    c.set(RocksDBOptions.TIMER_SERVICE_FACTORY, PriorityQueueStateType.HEAP);
    c.set(PipelineOptions.OBJECT_REUSE, true);
  }

  /**
   * The environment variable that adds settings to the Flink contenders' configuration, for
   * experiments: {@code key=value} pairs separated by {@code ;}, applied after {@link #tune} (so
   * {@code state.backend.rocksdb.timer-service.factory=ROCKSDB} restores that default). The harness
   * prints it in the run's header; unset in every published run unless the run says otherwise.
   */
  static final String EXTRA_CONFIG_ENV = "PERF_FLINK_CONFIG";

  /** Parses {@code k=v;k=v} ({@link ExtraSettings#parse}); null or blank gives nothing. */
  static Map<String, String> extraConfig(String spec) {
    return ExtraSettings.parse(EXTRA_CONFIG_ENV, spec);
  }

  // ---- End of tuning.

  @Override
  public void start(ContenderSpec spec, StatusFile status) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(1, configuration(spec));
    build(env, spec);
    JobClient client = env.executeAsync(spec.appId());
    job = client;
    client
        .getJobExecutionResult()
        .whenComplete(
            (result, e) -> {
              // The job ends only by failing, or by stop()'s cancel.
              if (!stopping) {
                status.put(
                    "failed",
                    e == null
                        ? "Flink job ended on its own"
                        : "Flink job failed: " + ContenderMain.oneLine(e));
              }
            });
  }

  /**
   * Cancels the job. The harness stops a contender only once every expected output is visible, that
   * is committed; a savepoint would add nothing it reads.
   */
  @Override
  public void stop() throws Exception {
    stopping = true;
    JobClient client = job;
    if (client != null) {
      client.cancel().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Kafka producer settings of the sinks: a transaction timeout the broker accepts (15 min max),
   * and batching as Weir's and the raw loop's producers do (64 KiB batches, linger 100 ms; the sink
   * flushes at every checkpoint in both modes, so the linger never delays the end). At the client's
   * defaults (16 KiB, 5 ms) the sink sent batches of about 2 KiB.
   */
  static Properties producerProperties() {
    Properties p = new Properties();
    p.setProperty("transaction.timeout.ms", "600000");
    p.setProperty("linger.ms", "100");
    p.setProperty("batch.size", "65536");
    return p;
  }
}
