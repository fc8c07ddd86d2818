package dev.weir.perf;

import java.io.PrintStream;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The performance harness: {@code perf/run.sh WORKLOAD... [options]} (see {@link PerfOptions} and
 * {@code docs/performance.md}). Starts a broker, loads the data set once, runs each workload's
 * contenders in alternation in their own JVMs, checks every output, prints a table per workload
 * and, last, one ratio line per workload and mode.
 */
public final class PerfMain {
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  private PerfMain() {}

  /**
   * Runs the harness and exits: 0 when every run passed its output check, 1 when some did not, 2 on
   * bad arguments or a harness failure.
   *
   * @param args workloads and options
   */
  public static void main(String[] args) {
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, "warn"); // client chatter would bury the table
    }
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println(PerfOptions.USAGE);
      return;
    }
    PerfOptions options;
    try {
      options = PerfOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int code;
    try {
      code = run(options, System.out);
    } catch (Exception e) {
      e.printStackTrace();
      code = 2;
    }
    System.exit(code);
  }

  /** The machine's 1, 5 and 15 minute load averages, to judge how noisy a run was. */
  static String loadAverage() {
    try {
      String[] f =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /**
   * Runs the harness.
   *
   * @param options what to run
   * @param out where the tables and ratio lines go
   * @return 0 when every run passed its output check, else 1
   * @throws InterruptedException when interrupted
   */
  static int run(PerfOptions options, PrintStream out) throws InterruptedException {
    List<String> ratioLines = new ArrayList<>();
    boolean allOk = true;
    out.printf(
        Locale.ROOT,
        "weir perf %s: %s, %,d records, %d keys, %d partitions, %d round(s), modes %s,"
            + " contender JVMs -Xmx%s, %d thread(s), %d cores%n",
        LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME),
        options.workloads(),
        options.records(),
        options.keys(),
        options.partitions(),
        options.rounds(),
        options.modes(),
        options.heap(),
        options.threads(),
        Runtime.getRuntime().availableProcessors());
    out.println("load average at the start: " + loadAverage());
    String extra = System.getenv(WeirW1.EXTRA_CONFIG_ENV);
    if (extra != null && !extra.isBlank()) {
      out.println("Weir contenders' extra settings (" + WeirW1.EXTRA_CONFIG_ENV + "): " + extra);
    }
    // FlinkContender.EXTRA_CONFIG_ENV, in module perf-flink, which this module cannot see.
    String flinkExtra = System.getenv("PERF_FLINK_CONFIG");
    if (flinkExtra != null && !flinkExtra.isBlank()) {
      out.println("Flink contenders' extra settings (PERF_FLINK_CONFIG): " + flinkExtra);
    }
    String rawLinger = System.getenv(RawW1.LINGER_ENV);
    if (rawLinger != null && !rawLinger.isBlank()) {
      out.println("raw loop's linger.ms (" + RawW1.LINGER_ENV + "): " + rawLinger);
    }
    out.println(
        options.flinkClasspath() == null
            ? "flink: not built, left out (perf/run.sh --flink adds it to W1, W2, W2K, W6 and W9)"
            : "flink: Flink 2.2.1 local, parallelism 1, RocksDB, checkpoints every 1 s");
    try (Harness h = Harness.start(options, out)) {
      for (Workload w : options.workloads()) {
        out.println();
        out.println("-- " + w + " " + w.description());
        if (w == Workload.W7 || w == Workload.W8) {
          try {
            List<String> lines = w == Workload.W7 ? new W7Runner(h).run() : new W8Runner(h).run();
            allOk &= lines.stream().noneMatch(l -> l.contains("FAILED"));
            ratioLines.addAll(lines);
          } catch (InterruptedException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException(w + " failed: " + e, e);
          }
          continue;
        }
        if (w == Workload.W9) {
          List<String> lines = new W9Runner(h).run();
          allOk &= lines.stream().noneMatch(l -> l.contains("n/a"));
          ratioLines.addAll(lines);
          continue;
        }
        List<RunResult> results =
            w.restores() ? new RestoreRunner(h, w).run() : new StreamingRunner(h).run(w);
        // A contender shown for information only (kafka-streams-grace5s) is expected to fail.
        allOk &=
            results.stream()
                .filter(r -> Contenders.compared(r.contender()))
                .allMatch(RunResult::ok);
        String inputs =
            w.restores()
                ? String.format(
                    Locale.ROOT, "%,d distinct keys in the changelog", options.records())
                : String.format(
                    Locale.ROOT,
                    "%,d input records%s",
                    options.records(),
                    w == Workload.W2K ? ", keyed by the record key" : "");
        Report.table(out, w, inputs, results, options.lineup(w), options.modes());
        ratioLines.addAll(Report.ratios(w, results, options.lineup(w), options.modes()));
      }
      if (options.profile() != null) {
        JfrSummary.printAll(h.runDir.resolve("jfr"), out);
      }
    }
    out.println();
    out.println("load average at the end: " + loadAverage());
    ratioLines.forEach(out::println);
    return allOk ? 0 : 1;
  }
}
