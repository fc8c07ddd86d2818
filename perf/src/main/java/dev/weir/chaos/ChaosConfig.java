package dev.weir.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one chaos run does. {@link #parse} reads {@code chaos.sh}'s options on top of a profile:
 *
 * <ul>
 *   <li>{@code ci}: 20,000 records at 400/s, 3 crashes, 1 broker restart, 2 scale events, 1 pause
 *       (about a minute and a half, for {@code mvn verify});
 *   <li>{@code default}: 200,000 records at 1,000/s, 8 crashes, 1 broker restart (a few minutes);
 *   <li>{@code soak}: 10,000,000 records at 2,500/s, 200 crashes, 20 broker restarts (over an
 *       hour).
 * </ul>
 *
 * @param records input records
 * @param crashes instance crashes; {@code inCommitShare} of them at a commit point, the rest by
 *     {@code kill -9} at a random moment
 * @param brokerRestarts broker kills ({@code kill -9}) each followed by a restart
 * @param seed seeds the workload, the fault schedule and the injected commit faults
 * @param exactlyOnce the processing guarantee under test
 * @param pipeline the pipeline under test ({@code --pipeline
 *     count-windows-and-join|count-and-windows|running-count|repartition})
 * @param brokers brokers in the cluster (1 or 3; 3 gives RF 3 and min.insync.replicas 2)
 * @param instances Weir instances at the start
 * @param threads stream threads per instance
 * @param partitions partitions of the input, output and repartition topics
 * @param keys distinct keys
 * @param scaleEvents instances added or removed (alternately), each a rebalance
 * @param pauses instances frozen with SIGSTOP past the session timeout, then resumed (zombies)
 * @param commitFaultRate probability per commit of an injected commit-path exception
 * @param inCommitShare share of crashes made at a commit point through the crash switch
 * @param slowInstances how many of the starting instances run a slow step
 * @param slowEvery the slow step sleeps every this many records per task
 * @param slowMs for this long
 * @param rate input records per second the generator writes at most (0: as fast as it can), so
 *     faults meet a flowing stream
 * @param watermarkIntervalMs the instances' {@code watermark.interval.ms}, or 0 for Weir's default
 * @param window the generator writes at most this many records ahead of the verified output
 * @param stallTimeout a run with no progress for this long is stopped and verified as it is
 * @param workDir logs and state directories
 * @param sink where the pipeline's results also go: {@code kafka} (only the output topic), {@code
 *     file} (also through the exactly-once file sink, whose finished files the verifier reads back)
 *     or {@code postgres} (also exactly once into a table of an embedded PostgreSQL, read back and
 *     verified like the topic)
 */
public record ChaosConfig(
    int records,
    int crashes,
    int brokerRestarts,
    long seed,
    boolean exactlyOnce,
    ChaosPipeline.Kind pipeline,
    int brokers,
    int instances,
    int threads,
    int partitions,
    int keys,
    int scaleEvents,
    int pauses,
    double commitFaultRate,
    double inCommitShare,
    int slowInstances,
    int slowEvery,
    int slowMs,
    int rate,
    int watermarkIntervalMs,
    int window,
    Duration stallTimeout,
    Path workDir,
    String sink,
    boolean liveness,
    String windowContents,
    String restore,
    boolean commitWal) {

  /** Settings every profile starts from. */
  private static final Map<String, String> BASE =
      Map.ofEntries(
          Map.entry("seed", "1"),
          Map.entry("guarantee", "exactly_once"),
          Map.entry("pipeline", "count-windows-and-join"),
          Map.entry("brokers", "3"),
          Map.entry("instances", "3"),
          Map.entry("threads", "1"),
          Map.entry("partitions", "6"),
          Map.entry("keys", "500"),
          Map.entry("commit-fault-rate", "0.01"),
          Map.entry("in-commit-share", "0.34"),
          Map.entry("slow-instances", "1"),
          Map.entry("slow-every", "200"),
          Map.entry("slow-ms", "2"),
          Map.entry("stall-timeout-s", "180"),
          Map.entry("watermark-interval-ms", "0"),
          Map.entry("sink", "kafka"),
          Map.entry("liveness", "false"),
          Map.entry("window-contents", "aggregate"),
          Map.entry("restore", "default"),
          Map.entry("commit-wal", "true"));

  /** What each profile changes. */
  private static final Map<String, Map<String, String>> PROFILES =
      Map.of(
          "ci",
          Map.ofEntries(
              Map.entry("records", "20000"),
              Map.entry("rate", "400"),
              Map.entry("window", "4000"),
              Map.entry("crashes", "3"),
              Map.entry("broker-restarts", "1"),
              Map.entry("scale-events", "2"),
              Map.entry("pauses", "1"),
              Map.entry("instances", "2"),
              Map.entry("partitions", "4"),
              Map.entry("keys", "200"),
              Map.entry("commit-fault-rate", "0.02"),
              Map.entry("stall-timeout-s", "90")),
          "default",
          Map.ofEntries(
              Map.entry("records", "200000"),
              Map.entry("rate", "1000"),
              Map.entry("window", "20000"),
              Map.entry("crashes", "8"),
              Map.entry("broker-restarts", "1"),
              Map.entry("scale-events", "2"),
              Map.entry("pauses", "1")),
          "soak",
          Map.ofEntries(
              Map.entry("records", "10000000"),
              Map.entry("rate", "2500"),
              Map.entry("window", "100000"),
              Map.entry("crashes", "200"),
              Map.entry("broker-restarts", "20"),
              Map.entry("scale-events", "20"),
              Map.entry("pauses", "10"),
              Map.entry("keys", "5000")));

  static final Set<String> OPTIONS =
      Set.of(
          "profile",
          "records",
          "crashes",
          "broker-restarts",
          "seed",
          "guarantee",
          "brokers",
          "instances",
          "threads",
          "partitions",
          "keys",
          "scale-events",
          "pauses",
          "commit-fault-rate",
          "in-commit-share",
          "slow-instances",
          "slow-every",
          "slow-ms",
          "rate",
          "watermark-interval-ms",
          "window",
          "stall-timeout-s",
          "pipeline",
          "sink",
          "liveness",
          "window-contents",
          "restore",
          "commit-wal",
          "work-dir");

  /** The workload this run writes. */
  public Workload workload() {
    return new Workload(seed, records, keys, partitions);
  }

  /** A profile's settings: {@code ci}, {@code default} or {@code soak}. */
  public static ChaosConfig profile(String name, Path workDir) {
    return parse(new String[] {"--profile", name}, workDir);
  }

  /**
   * Parses {@code chaos.sh}'s options: a profile ({@code --profile}, default {@code default}) and
   * options that override its settings.
   *
   * @param argv {@code --option value} pairs
   * @param defaultWorkDir where logs go unless {@code --work-dir} says otherwise
   * @return the configuration
   * @throws IllegalArgumentException naming an unknown option or bad value
   */
  public static ChaosConfig parse(String[] argv, Path defaultWorkDir) {
    Args given = new Args(argv);
    Set<String> unknown = given.unknown(OPTIONS);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown option(s) " + unknown + "; known: " + OPTIONS);
    }
    String profile = given.get("profile", "default");
    Map<String, String> p = PROFILES.get(profile);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown profile '" + profile + "'; known: " + PROFILES.keySet());
    }
    Map<String, String> v = new HashMap<>(BASE);
    v.putAll(p);
    v.put("work-dir", defaultWorkDir.toString());
    v.putAll(given.values());
    String guarantee = v.get("guarantee");
    if (!guarantee.equals("exactly_once") && !guarantee.equals("at_least_once")) {
      throw new IllegalArgumentException("--guarantee must be exactly_once or at_least_once");
    }
    try {
      ChaosConfig c =
          new ChaosConfig(
              Integer.parseInt(v.get("records")),
              Integer.parseInt(v.get("crashes")),
              Integer.parseInt(v.get("broker-restarts")),
              Long.parseLong(v.get("seed")),
              guarantee.equals("exactly_once"),
              pipeline(v.get("pipeline")),
              Integer.parseInt(v.get("brokers")),
              Integer.parseInt(v.get("instances")),
              Integer.parseInt(v.get("threads")),
              Integer.parseInt(v.get("partitions")),
              Integer.parseInt(v.get("keys")),
              Integer.parseInt(v.get("scale-events")),
              Integer.parseInt(v.get("pauses")),
              Double.parseDouble(v.get("commit-fault-rate")),
              Double.parseDouble(v.get("in-commit-share")),
              Integer.parseInt(v.get("slow-instances")),
              Integer.parseInt(v.get("slow-every")),
              Integer.parseInt(v.get("slow-ms")),
              Integer.parseInt(v.get("rate")),
              Integer.parseInt(v.get("watermark-interval-ms")),
              Integer.parseInt(v.get("window")),
              Duration.ofSeconds(Long.parseLong(v.get("stall-timeout-s"))),
              Path.of(v.get("work-dir")),
              v.get("sink"),
              Boolean.parseBoolean(v.get("liveness")),
              v.get("window-contents"),
              v.get("restore"),
              bool("commit-wal", v.get("commit-wal")));
      c.validate();
      return c;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
    }
  }

  /** Whether the results also go through the exactly-once file sink ({@code --sink file}). */
  public boolean fileSink() {
    return sink.equals("file");
  }

  private static ChaosPipeline.Kind pipeline(String name) {
    return switch (name) {
      case "count-windows-and-join" -> ChaosPipeline.Kind.COUNT_WINDOWS_AND_JOIN;
      case "count-and-windows" -> ChaosPipeline.Kind.COUNT_AND_WINDOWS;
      case "running-count" -> ChaosPipeline.Kind.RUNNING_COUNT;
      case "repartition" -> ChaosPipeline.Kind.REPARTITION;
      default ->
          throw new IllegalArgumentException(
              "--pipeline must be count-windows-and-join, count-and-windows, running-count or"
                  + " repartition, not "
                  + name);
    };
  }

  /**
   * Whether every restore of the instances bulk-loads and reads its changelogs with raw fetches
   * ({@code --restore bulk-raw}: {@code state.restore.bulk.load.records=0} and {@code
   * state.restore.raw.fetch=true}, design records 019 and 030), instead of the defaults, under
   * which the chaos run's small restores write batches through the restore consumer.
   */
  public boolean bulkRawRestore() {
    return restore.equals("bulk-raw");
  }

  private static boolean bool(String option, String value) {
    if (!value.equals("true") && !value.equals("false")) {
      throw new IllegalArgumentException("--" + option + " must be true or false, not " + value);
    }
    return value.equals("true");
  }

  /** Checks the values fit together. */
  public void validate() {
    if (!restore.equals("default") && !restore.equals("bulk-raw")) {
      throw new IllegalArgumentException("--restore must be default or bulk-raw, not " + restore);
    }
    if (!windowContents.equals("aggregate") && !windowContents.equals("list")) {
      throw new IllegalArgumentException(
          "--window-contents must be aggregate or list, not " + windowContents);
    }
    if (!sink.equals("kafka") && !sink.equals("file") && !sink.equals("postgres")) {
      throw new IllegalArgumentException("--sink must be kafka, file or postgres, not " + sink);
    }
    if (brokers != 1 && brokers != 3) {
      throw new IllegalArgumentException("--brokers must be 1 or 3");
    }
    if (brokerRestarts > 0 && brokers < 3) {
      throw new IllegalArgumentException("broker restarts need --brokers 3");
    }
    if (instances < 1
        || threads < 1
        || partitions < 1
        || keys < 1
        || records < 1
        || window < 1
        || rate < 0) {
      throw new IllegalArgumentException(
          "records, instances, threads, partitions, keys and window must be positive");
    }
    if (crashes < 0 || brokerRestarts < 0 || scaleEvents < 0 || pauses < 0) {
      throw new IllegalArgumentException("fault counts must not be negative");
    }
    if (commitFaultRate < 0 || commitFaultRate > 0.5 || inCommitShare < 0 || inCommitShare > 1) {
      throw new IllegalArgumentException(
          "--commit-fault-rate must be in [0, 0.5] and --in-commit-share in [0, 1]");
    }
  }
}
