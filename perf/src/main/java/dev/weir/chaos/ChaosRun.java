package dev.weir.chaos;

import dev.weir.WeirConfig;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One chaos run: a real cluster, Weir instances in child JVMs, the generator and the output checks
 * ({@link OutputVerification}) running while the faults of a {@link FaultSchedule} happen; then
 * every instance stops, the output is read to its end and verified. This class starts, stops and
 * faults the instances and the brokers; what the output must hold is the checks' business.
 *
 * <p>Every child JVM and broker is killed on every exit path (and dies with this JVM in any case,
 * see {@code JavaProcess}).
 */
public final class ChaosRun {
  private static final Duration BROKER_START_TIMEOUT = Duration.ofMinutes(5);

  static final String IN = "chaos-in";
  static final String OUT = "chaos-out";
  static final String WINDOWS_OUT = "chaos-windows";
  static final String JOINS_OUT = "chaos-joins";
  private static final Duration CRASH_SWITCH_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration END_TIMEOUT = Duration.ofSeconds(120);
  private static final int LOG_TAIL = 30;

  private final ChaosConfig config;
  private final List<FaultSchedule.Event> events;
  private final PrintStream out;
  private final ChaosPipeline.Kind kind;
  private final SplittableRandom jitter;
  private final List<InstanceSlot> everyInstance = new ArrayList<>();
  private final List<InstanceSlot> running = new ArrayList<>();
  private final List<String> unexpectedExits = new ArrayList<>();
  private long startNanos;
  private OutputVerification checks;
  private InputWriter writer;
  private EmbeddedKafkaCluster kafka;
  private String bootstrap;
  private int killCrashes;
  private int inCommitCrashes;
  private int brokerRestarts;
  private int scaleEvents;
  private int pauses;
  private int pausesInCommit;
  private int nextInstance;
  private PostgresChaosSink postgres; // --sink postgres

  /** The generator writes no record at or past this seq: the next fault's point plus the window. */
  private volatile int writeLimit;

  /**
   * Prepares a run with the faults its configuration draws from the seed.
   *
   * @param config what to run
   * @param out where progress goes
   */
  public ChaosRun(ChaosConfig config, PrintStream out) {
    this(config, FaultSchedule.of(config), out);
  }

  ChaosRun(ChaosConfig config, List<FaultSchedule.Event> events, PrintStream out) {
    config.validate();
    this.config = config;
    this.events = List.copyOf(events);
    this.out = out;
    this.kind = config.pipeline();
    this.jitter = new SplittableRandom(Workload.mix(config.seed() * 31 + 7));
  }

  /**
   * Runs, verifies and cleans up.
   *
   * @return the result; {@link ChaosResult#ok()} tells whether the run passed
   * @throws Exception when the cluster cannot be started or the harness itself fails
   */
  public ChaosResult run() throws Exception {
    if (!config.sink().equals("postgres")) {
      return runWithSinks();
    }
    try (PostgresChaosSink pg = PostgresChaosSink.start()) {
      postgres = pg;
      return runWithSinks();
    }
  }

  private ChaosResult runWithSinks() throws Exception {
    startNanos = System.nanoTime();
    Path logs = config.workDir().resolve("logs");
    Files.createDirectories(logs);
    Workload workload = config.workload();
    // Event times end about now, so that no broker finds them too far in the future.
    long base =
        System.currentTimeMillis() - workload.maxEventTimeOffsetMs() - Workload.MAX_JITTER_MS;
    OutputVerification verification = new OutputVerification(workload, kind, base);
    checks = verification;
    log(
        "%s, %s, %s, %d broker(s), %d instance(s) x %d thread(s); work dir %s",
        workload,
        kind,
        config.exactlyOnce() ? "exactly_once" : "at_least_once",
        config.brokers(),
        config.instances(),
        config.threads(),
        config.workDir().toAbsolutePath());
    log("faults: %s", events);
    String problem = null;
    // A broker killed with -9 recovers its logs before it opens its port; with the soak's data on
    // a loaded 2-core machine that took more than the testkit's default 90 s (the first soak run
    // aborted there). A slow restart is not what the suite tests, so it waits longer.
    try (EmbeddedKafkaCluster cluster =
        EmbeddedKafkaCluster.builder()
            .brokers(config.brokers())
            .logDirectory(logs)
            .startTimeout(BROKER_START_TIMEOUT)
            .start()) {
      kafka = cluster;
      bootstrap = cluster.bootstrapServers();
      log("cluster ready at %s", bootstrap);
      Map<String, String> topicConfig =
          Map.of(
              TopicConfig.RETENTION_MS_CONFIG,
              "-1",
              TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
              config.brokers() == 3 ? "2" : "1");
      for (String topic : List.of(IN, OUT, WINDOWS_OUT, JOINS_OUT)) {
        cluster.createTopic(topic, config.partitions(), topicConfig);
      }
      try (Admin admin = Admin.create(cluster.clientProperties())) {
        awaitServed(admin, List.of(IN, OUT, WINDOWS_OUT, JOINS_OUT));
        try (verification) {
          verification.startReading(bootstrap, config.partitions(), OUT, WINDOWS_OUT, JOINS_OUT);
          for (int i = 0; i < config.instances(); i++) {
            startNewInstance(i < config.slowInstances());
          }
          writer =
              new InputWriter(
                  bootstrap,
                  IN,
                  workload,
                  base,
                  base + workload.sentinelTimeOffsetMs(ChaosPipeline.WINDOW.toMillis()),
                  config.window(),
                  config.rate(),
                  verification.records()::distinct,
                  () -> writeLimit);
          writeLimit =
              events.isEmpty()
                  ? workload.records()
                  : (int)
                      Math.min(
                          workload.records(),
                          Math.ceil(events.get(0).at() * workload.records()) + config.window());
          writer.start();
          try {
            problem = injectFaults();
          } catch (RuntimeException | IOException e) {
            problem = "harness error: " + e;
            e.printStackTrace(out);
          }
          if (problem != null) {
            log("PROBLEM: %s", problem);
            describeInstances();
          }
          writer.close();
          problem = finish(admin, problem);
        } finally {
          for (InstanceSlot s : everyInstance) {
            s.kill();
          }
          if (writer != null) {
            writer.close();
          }
        }
      }
    }
    Verifier.Verdict verdict = verification.verdict();
    if (config.fileSink()) {
      Verifier.Verdict files = FileOutput.verify(filesDir(), new Verifier(workload, kind));
      log("finished files: %s (%d lines)", files.summary(), files.outputs());
      verdict = verdict.plus(files);
    }
    if (postgres != null) {
      Verifier.Verdict rows = postgres.verify(workload, kind);
      log("postgres: read back %d rows: %s", rows.outputs(), rows.summary());
      verdict = verdict.plus(rows);
    }
    ChaosResult result =
        new ChaosResult(
            verdict,
            killCrashes,
            inCommitCrashes,
            brokerRestarts,
            scaleEvents,
            pauses,
            pausesInCommit,
            countInjectedFaults(),
            List.copyOf(unexpectedExits),
            problem,
            Duration.ofNanos(System.nanoTime() - startNanos));
    report(result);
    return result;
  }

  /** Runs the schedule; returns a problem that ended it early, or null. */
  private String injectFaults() throws IOException, InterruptedException {
    int n = config.records();
    for (int i = 0; i < events.size(); i++) {
      FaultSchedule.Event e = events.get(i);
      String stalled = awaitProgress((int) Math.ceil(e.at() * n), null);
      if (stalled != null) {
        return stalled;
      }
      // Decorrelate the fault from the commit that made the progress visible.
      hold(Duration.ofMillis(jitter.nextInt(300)));
      log("fault: %s", e);
      writeLimit =
          i + 1 < events.size()
              ? (int) Math.min(n, Math.ceil(events.get(i + 1).at() * n) + config.window())
              : n;
      switch (e.type()) {
        case CRASH_KILL -> crashByKill(e);
        case CRASH_IN_COMMIT -> crashInCommit(e);
        case BROKER_RESTART -> restartBroker(e);
        case SCALE_OUT -> {
          startNewInstance(false);
          scaleEvents++;
        }
        case SCALE_IN -> scaleIn(e);
        case PAUSE -> pause(e);
        case PAUSE_IN_COMMIT -> pauseInCommit(e);
      }
    }
    String stalled = awaitProgress(n, null);
    // Window results follow the watermark, which passes the last windows with the sentinels.
    for (OutputCheck later : checks.laterChecks()) {
      if (stalled == null) {
        stalled = awaitProgress(later, later.expected(), null);
      }
    }
    return stalled;
  }

  private void crashByKill(FaultSchedule.Event e) throws IOException {
    InstanceSlot s = pick(e.pick());
    s.kill();
    killCrashes++;
    log("  killed %s (kill -9), restarting", s.name());
    s.start();
  }

  private void crashInCommit(FaultSchedule.Event e) throws IOException, InterruptedException {
    InstanceSlot s = pick(e.pick());
    s.crashSwitch().arm(e.point());
    long deadline = System.nanoTime() + CRASH_SWITCH_TIMEOUT.toNanos();
    while (s.isAlive() && System.nanoTime() < deadline) {
      checkInstances(s);
      LockSupport.parkNanos(20_000_000L);
    }
    if (s.isAlive() && s.crashSwitch().disarm()) {
      s.kill();
      killCrashes++;
      log(
          "  %s never reached %s in %s; killed it (kill -9) instead",
          s.name(), e.point(), CRASH_SWITCH_TIMEOUT);
    } else {
      if (!s.awaitExit(Duration.ofSeconds(10))) {
        s.kill(); // the switch fired; the halt is a matter of milliseconds
      }
      int code = s.exitCode().orElse(-1);
      if (code == CrashSwitch.EXIT_STATUS) {
        inCommitCrashes++;
        log("  %s halted at %s, restarting", s.name(), e.point());
      } else {
        recordUnexpectedExit(s, code);
      }
    }
    s.start();
  }

  private void restartBroker(FaultSchedule.Event e) throws IOException {
    int b = (int) Math.floorMod(e.pick(), (long) config.brokers());
    int before = checks.records().distinct();
    kafka.killBroker(b);
    log("  broker %d killed (kill -9)", b);
    try {
      hold(Duration.ofMillis(e.durationMs()));
    } finally {
      kafka.restartBroker(b);
    }
    brokerRestarts++;
    log(
        "  broker %d restarted after %d ms down; %d records verified meanwhile",
        b, e.durationMs(), checks.records().distinct() - before);
  }

  private void scaleIn(FaultSchedule.Event e) {
    if (running.size() < 2) {
      log("  only one instance runs; not removing it");
      return;
    }
    InstanceSlot s = pick(e.pick());
    running.remove(s);
    boolean clean = s.stop();
    scaleEvents++;
    log("  %s left %s", s.name(), clean ? "cleanly" : "(killed after 30 s without exiting)");
  }

  private void pause(FaultSchedule.Event e) throws IOException, InterruptedException {
    InstanceSlot s = pick(e.pick());
    s.pause();
    try {
      hold(Duration.ofMillis(e.durationMs()), s);
    } finally {
      s.resume();
    }
    pauses++;
    log("  %s frozen for %d ms, resumed", s.name(), e.durationMs());
  }

  /**
   * Arms every running instance to freeze at the commit point; the first to get there (with state
   * changes in its transaction) freezes, the others are disarmed.
   */
  private void pauseInCommit(FaultSchedule.Event e) throws IOException, InterruptedException {
    for (InstanceSlot s : running) {
      s.crashSwitch().arm(CrashSwitch.Action.FREEZE, e.point());
    }
    InstanceSlot frozen = null;
    long deadline = System.nanoTime() + CRASH_SWITCH_TIMEOUT.toNanos();
    while (frozen == null && System.nanoTime() < deadline) {
      for (InstanceSlot s : running) {
        if (Files.exists(s.crashSwitch().frozenMarker())) {
          frozen = s;
          break;
        }
      }
      if (frozen == null) {
        checkInstances(null);
        LockSupport.parkNanos(5_000_000L);
      }
    }
    for (InstanceSlot s : running) {
      s.crashSwitch().disarm();
    }
    if (frozen == null) {
      log(
          "  no instance reached %s with state changes in %s; no pause",
          e.point(), CRASH_SWITCH_TIMEOUT);
      return;
    }
    frozen.frozeItself();
    try {
      hold(Duration.ofMillis(e.durationMs()), frozen);
    } finally {
      frozen.resume();
    }
    pauses++;
    pausesInCommit++;
    log("  %s froze itself at %s for %d ms, resumed", frozen.name(), e.point(), e.durationMs());
  }

  private InstanceSlot pick(long pick) {
    return running.get((int) Math.floorMod(pick, (long) running.size()));
  }

  /** Where the instances' file sink writes ({@code --sink file}). */
  private Path filesDir() {
    return config.workDir().resolve("files");
  }

  private void startNewInstance(boolean slow) throws IOException {
    String name = "i" + nextInstance++;
    List<String> common =
        List.of(
            "--bootstrap",
            bootstrap,
            "--app-id",
            "chaos-" + config.seed(),
            "--in",
            IN,
            "--out",
            OUT,
            "--windows-out",
            WINDOWS_OUT,
            "--joins-out",
            JOINS_OUT,
            "--kind",
            kind.name(),
            "--guarantee",
            config.exactlyOnce() ? WeirConfig.EXACTLY_ONCE : WeirConfig.AT_LEAST_ONCE,
            "--threads",
            Integer.toString(config.threads()),
            "--commit-fault-rate",
            Double.toString(config.commitFaultRate()),
            "--replication-factor",
            Integer.toString(config.brokers()));
    List<String> extra = new ArrayList<>();
    if (config.fileSink()) {
      extra.add("--files-dir");
      extra.add(filesDir().toString());
    }
    if (postgres != null) {
      extra.addAll(List.of("--pg-url", postgres.url()));
    }
    if (config.liveness()) {
      // A static member per slot (its restarts keep the id) with a liveness listener (record 021).
      extra.addAll(List.of("--static-id", "chaos-" + name));
    }
    extra.addAll(List.of("--window-contents", config.windowContents()));
    if (config.bulkRawRestore()) {
      extra.addAll(List.of("--restore", "bulk-raw"));
    }
    if (!config.commitWal()) {
      extra.addAll(List.of("--commit-wal", "false"));
    }
    if (config.watermarkIntervalMs() > 0) {
      extra.add("--watermark-interval-ms");
      extra.add(Integer.toString(config.watermarkIntervalMs()));
    }
    extra.addAll(
        slow
            ? List.of(
                "--slow-every", Integer.toString(config.slowEvery()),
                "--slow-ms", Integer.toString(config.slowMs()))
            : List.of());
    InstanceSlot s =
        new InstanceSlot(
            name, config.workDir(), config.seed() * 1_000 + nextInstance, common, extra);
    everyInstance.add(s);
    running.add(s);
    s.start();
    log("  started %s%s", s.name(), slow ? " (slow)" : "");
  }

  /**
   * Waits until {@code target} records are verified. Returns null when reached (or when {@code
   * atMost} passed), a description when nothing progressed for the stall timeout.
   */
  private String awaitProgress(int target, Duration atMost) throws IOException {
    return awaitProgress(checks.records(), target, atMost);
  }

  private String awaitProgress(OutputCheck check, int target, Duration atMost) throws IOException {
    long start = System.nanoTime();
    int last = check.distinct();
    long lastChange = start;
    while (check.distinct() < target) {
      Exception inputFailure = writer.failure();
      if (inputFailure != null) {
        return "input could not be written: " + inputFailure;
      }
      long now = System.nanoTime();
      if (atMost != null && now - start > atMost.toNanos()) {
        return null;
      }
      int d = check.distinct();
      if (d != last) {
        last = d;
        lastChange = now;
      } else if (now - lastChange > config.stallTimeout().toNanos()) {
        return "stalled: no progress for "
            + config.stallTimeout().toSeconds()
            + " s at "
            + d
            + " of "
            + check.expected()
            + " "
            + checks.describe(check)
            + " (waiting for "
            + target
            + ", input written "
            + writer.sent()
            + ")";
      }
      checkInstances(null);
      LockSupport.parkNanos(50_000_000L);
    }
    return null;
  }

  /** Lets {@code duration} pass while watching the instances (except {@code frozen}). */
  private void hold(Duration duration, InstanceSlot... frozen) throws IOException {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      checkInstances(frozen.length == 0 ? null : frozen[0]);
      LockSupport.parkNanos(Math.min(50_000_000L, Math.max(0, end - System.nanoTime())));
    }
  }

  /** Restarts every running instance that exited without being told to, and records it. */
  private void checkInstances(InstanceSlot except) throws IOException {
    for (InstanceSlot s : running) {
      if (s != except && !s.isAlive()) {
        recordUnexpectedExit(s, s.exitCode().orElse(-1));
        s.start();
      }
    }
  }

  private void recordUnexpectedExit(InstanceSlot s, int code) {
    String tail = String.join("\n    ", s.logTail(LOG_TAIL));
    unexpectedExits.add(s.name() + " exited with status " + code);
    log(
        "UNEXPECTED EXIT: %s exited with status %d; restarting it. Log tail:\n    %s",
        s.name(), code, tail);
  }

  /** Stops every instance, reads the output to its end; returns the run's problem, if any. */
  private String finish(Admin admin, String problem) throws Exception {
    log("stopping %d instance(s)", running.size());
    List<CompletableFuture<Boolean>> stops = new ArrayList<>();
    for (InstanceSlot s : running) {
      stops.add(CompletableFuture.supplyAsync(s::stop));
    }
    for (int i = 0; i < stops.size(); i++) {
      if (!stops.get(i).get()) {
        log("  %s did not stop within 30 s; killed", running.get(i).name());
      }
    }
    checks.readToEnd(admin, END_TIMEOUT);
    long inputRecords =
        OutputVerification.endOffsets(admin, IN, IsolationLevel.READ_UNCOMMITTED).values().stream()
            .mapToLong(Long::longValue)
            .sum();
    long written = config.records() + config.partitions(); // and one sentinel per partition
    log(
        "input topic holds %d records (%d written and %d sentinels expected)",
        inputRecords, config.records(), config.partitions());
    if (problem == null && inputRecords != written) {
      problem =
          "the input topic holds "
              + inputRecords
              + " records, not "
              + written
              + ": the generator's producer duplicated or lost input";
    }
    return problem;
  }

  /**
   * Waits until every partition's leader answers ListOffsets: a new partition's leader can be named
   * before it serves, and writing then can end in OutOfOrderSequence (Kafka 4.3.1).
   */
  private static void awaitServed(Admin admin, List<String> topics) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        for (String t : topics) {
          OutputVerification.endOffsets(admin, t, IsolationLevel.READ_UNCOMMITTED);
        }
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("partitions of " + topics + " not served in 60 s", e);
        }
        LockSupport.parkNanos(100_000_000L);
      }
    }
  }

  private void describeInstances() {
    for (InstanceSlot s : running) {
      log(
          "%s: %s, %d incarnation(s); log tail:\n    %s",
          s.name(),
          s.isAlive() ? "running" : "exited " + s.exitCode(),
          s.incarnations(),
          String.join("\n    ", s.logTail(LOG_TAIL)));
    }
  }

  /** Counts the {@code CHAOS-FAULT <kind>} lines in the instances' logs. */
  private Map<String, Long> countInjectedFaults() throws IOException {
    Map<String, Long> counts = new TreeMap<>();
    for (InstanceSlot s : everyInstance) {
      if (!Files.exists(s.logFile())) {
        continue;
      }
      try (Stream<String> lines = Files.lines(s.logFile())) {
        lines
            .filter(l -> l.startsWith("CHAOS-FAULT "))
            .forEach(l -> counts.merge(l.split(" ")[1], 1L, Long::sum));
      }
    }
    return counts;
  }

  private void report(ChaosResult r) {
    log("done in %.1f s", r.duration().toMillis() / 1000.0);
    log(
        "faults: crashes=%d (kill -9 at random moments %d, at commit points %d), broker restarts"
            + " %d, scale events %d, pauses %d (%d of them mid-commit), injected commit-path"
            + " exceptions %s",
        r.crashes(),
        r.killCrashes(),
        r.inCommitCrashes(),
        r.brokerRestarts(),
        r.scaleEvents(),
        r.pauses(),
        r.pausesInCommit(),
        r.injectedFaults());
    if (!r.unexpectedExits().isEmpty()) {
      log("unexpected instance exits (%d): %s", r.unexpectedExits().size(), r.unexpectedExits());
    }
    log("verified %d committed outputs: %s", r.verdict().outputs(), r.verdict().summary());
    if (!r.verdict().details().isEmpty()) {
      log("%s", r.verdict().details());
    }
    if (r.problem() != null) {
      log("PROBLEM: %s", r.problem());
    }
  }

  private void log(String format, Object... args) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    int done = checks == null ? 0 : checks.records().distinct();
    out.printf(
        Locale.ROOT,
        "[%7.1fs %5.1f%%] %s%n",
        seconds,
        100.0 * done / config.records(),
        String.format(Locale.ROOT, format, args));
    out.flush();
  }
}
