package dev.weir.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * W9: a 1-minute tumbling event-time window with a function over all of its records, at two window
 * sizes (2,000 and 20,000 records per key and window) over the same number of records, so that a
 * per-record cost that grows with the window shows up as a difference between the sizes. Each size
 * has its own keyed data set ({@link W9Data}); the runs alternate contenders and modes as the other
 * workloads do ({@link StreamingRunner}).
 *
 * <p>Besides the tables it prints one ratio line per size and mode, {@code ratio W9 eos n=2000
 * weir/kafka-streams=X}, and the CPU per record of each contender, {@code cpu W9 eos n=2000
 * weir=Xus/record kafka-streams=Yus/record}. With Flink built ({@code perf/run.sh --flink}) both
 * lines gain Flink last: {@code weir/flink=Z} and {@code flink=Zus/record}.
 */
final class W9Runner {
  /** The window sizes run unless {@code --w9-sizes} names others. */
  static final List<Integer> SIZES = List.of(2_000, 20_000);

  /**
   * Records per size unless {@code --records} is smaller or {@code --w9-records} says otherwise
   * ({@link PerfOptions#w9RecordsPerSize}): 30 windows per key at n=2,000, 3 at n=20,000. The cap
   * is for Kafka Streams: its windowed {@code aggregate} collecting a list reads, copies and
   * rewrites the whole list for every record (in RocksDB and in its changelog), so its cost per
   * record grows with the window, and it ran 492-554 records/s at n=20,000 (about 8 minutes per run
   * at this count; the default 2,000,000 records would take over an hour per run). Weir and Flink
   * run this count in about 2.5 s, most of it a fixed cost per run (JIT compilation, first
   * commits): to see their steady cost, run {@code --contenders weir,flink} with a larger {@code
   * --w9-records}.
   */
  static final int DEFAULT_MAX_RECORDS = 240_000;

  private final Harness h;

  W9Runner(Harness harness) {
    this.h = harness;
  }

  List<String> run() throws InterruptedException {
    List<String> lines = new ArrayList<>();
    StreamingRunner runner = new StreamingRunner(h);
    List<String> contenders = h.options.contendersOf(Workload.W9);
    for (int n : h.options.w9Sizes()) {
      int records = h.options.w9RecordsPerSize();
      W9Data data =
          new W9Data(
              records,
              n,
              h.options.partitions(),
              W9Data.t0(records, n, Dataset.defaultT0(), System.currentTimeMillis()));
      String topic = h.prefix() + "-w9-n" + n;
      h.topics.create(h.options.partitions(), topic);
      long loaded;
      try {
        loaded = data.load(h.bootstrap, topic);
      } catch (IllegalStateException e) {
        throw new RunFailure("W9 n=" + n + ": " + e.getMessage());
      }
      h.out.printf(
          Locale.ROOT,
          "W9 n=%,d: loaded %,d records (%,d windows of %,d records, and a flush record per"
              + " partition) into %s%n",
          n,
          loaded,
          data.windows(),
          n,
          topic);
      List<RunResult> results = new ArrayList<>();
      try {
        for (int round = 1; round <= h.options.rounds(); round++) {
          List<String> order = StreamingRunner.orderOfRound(contenders, round);
          StreamingRunner.printOrder(h, Workload.W9, round, order);
          for (Mode mode : h.options.modes()) {
            for (String c : order) {
              RunResult r =
                  runner.runOnce(
                      Workload.W9,
                      "n" + n,
                      topic,
                      data.totalRecords(),
                      new W9Checker(data),
                      c,
                      mode,
                      round);
              results.add(r);
              Report.progress(h.out, r);
            }
          }
        }
      } finally {
        h.topics.deleteQuietly(null, topic);
      }
      Report.table(
          h.out,
          Workload.W9,
          String.format(
              Locale.ROOT, "n=%,d records per window, %,d input records", n, data.totalRecords()),
          results,
          contenders,
          h.options.modes());
      for (Mode mode : h.options.modes()) {
        lines.addAll(lines(n, mode, results, contenders));
      }
    }
    return lines;
  }

  /**
   * The ratio line and the CPU-per-record lines of one size and mode: Weir over each other
   * contender that ran ({@code weir/kafka-streams}, then {@code weir/flink} when Flink was built),
   * every contender's CPU microseconds per record, and the same without its JIT compiler threads
   * ({@code cpu-steady}): each contender is a fresh JVM whose compiling costs seconds however long
   * the run, which at W9's record counts is a large share of the whole and makes the figure shrink
   * as runs grow; without it, what each record costs once the code is compiled.
   */
  static List<String> lines(int n, Mode mode, List<RunResult> results, List<String> contenders) {
    StringBuilder ratio =
        new StringBuilder(String.format(Locale.ROOT, "ratio W9 %s n=%d", mode.label(), n));
    StringBuilder cpu =
        new StringBuilder(String.format(Locale.ROOT, "cpu W9 %s n=%d", mode.label(), n));
    StringBuilder steady =
        new StringBuilder(String.format(Locale.ROOT, "cpu-steady W9 %s n=%d", mode.label(), n));
    double weir = median(results, Contenders.WEIR, mode);
    for (String c : contenders) {
      cpu.append(' ').append(c).append('=').append(perRecord(results, c, mode, false));
      steady.append(' ').append(c).append('=').append(perRecord(results, c, mode, true));
      if (!c.equals(Contenders.WEIR)) {
        double them = median(results, c, mode);
        ratio
            .append(' ')
            .append(Contenders.WEIR)
            .append('/')
            .append(c)
            .append('=')
            .append(
                Double.isNaN(weir) || Double.isNaN(them)
                    ? "n/a (no passing run)"
                    : String.format(Locale.ROOT, "%.2f", weir / them));
      }
    }
    return List.of(ratio.toString(), cpu.toString(), steady.toString());
  }

  /** The median CPU microseconds per record (without JIT: {@code steady}), or n/a. */
  private static String perRecord(
      List<RunResult> results, String contender, Mode mode, boolean steady) {
    double[] v =
        results.stream()
            .filter(r -> r.ok() && r.contender().equals(contender) && r.mode() == mode)
            .filter(r -> r.cpuSeconds() >= 0 && (!steady || r.jitCpuSeconds() >= 0))
            .mapToDouble(
                r -> (r.cpuSeconds() - (steady ? r.jitCpuSeconds() : 0)) * 1e6 / r.records())
            .sorted()
            .toArray();
    return v.length == 0 ? "n/a" : String.format(Locale.ROOT, "%.1fus/record", Report.median(v));
  }

  /** Median records/s over the passing runs; NaN when none. */
  private static double median(List<RunResult> results, String contender, Mode mode) {
    double[] v =
        results.stream()
            .filter(r -> r.ok() && r.contender().equals(contender) && r.mode() == mode)
            .mapToDouble(RunResult::recordsPerSecond)
            .sorted()
            .toArray();
    return v.length == 0 ? Double.NaN : Report.median(v);
  }
}
