package dev.weir.perf;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The Flink side of a workload: subclasses only build the job. Flink 2.2.1 in a local environment
 * (the job manager and one task manager inside this JVM), parallelism 1, the RocksDB state backend
 * (Flink's own defaults for it: managed memory, full checkpoints), checkpoints every second,
 * exactly-once or at-least-once by the run's mode, no restarts (a failure fails the run, as it does
 * for the other contenders). Defaults otherwise, object reuse off among them.
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
    return c;
  }

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
   * Kafka producer settings of the sinks: a transaction timeout the broker accepts (15 min max).
   */
  static Properties producerProperties() {
    Properties p = new Properties();
    p.setProperty("transaction.timeout.ms", "600000");
    return p;
  }
}
