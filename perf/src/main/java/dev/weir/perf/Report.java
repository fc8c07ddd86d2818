package dev.weir.perf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Prints results: a line per run as it finishes, a table per workload (medians over the runs whose
 * output check passed), and the ratio lines that come last.
 */
final class Report {
  private Report() {}

  static void progress(PrintStream out, RunResult r) {
    if (!r.ok()) {
      out.printf(
          Locale.ROOT,
          "  [%s %s r%d] %-13s FAILED%s: %s%n",
          r.workload(),
          r.mode().label(),
          r.round(),
          r.contender(),
          r.recordsPerSecond() > 0
              ? String.format(Locale.ROOT, " (ran at %,.0f rec/s)", r.recordsPerSecond())
              : "",
          r.check());
      return;
    }
    out.printf(
        Locale.ROOT,
        "  [%s %s r%d] %-13s %s  %6.1f s  cpu %s  broker cpu %s  rss %s  lat p50/p99 %s  %s%n",
        r.workload(),
        r.mode().label(),
        r.round(),
        r.contender(),
        r.workload() == Workload.W5
            ? String.format(Locale.ROOT, "%,10d restored", r.records())
            : String.format(Locale.ROOT, "%,10.0f rec/s", r.recordsPerSecond()),
        r.seconds(),
        r.cpuSeconds() < 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.1f s", r.cpuSeconds())
                + (r.jitCpuSeconds() < 0
                    ? ""
                    : String.format(Locale.ROOT, " (jit %.1f)", r.jitCpuSeconds())),
        r.brokerCpuSeconds() < 0
            ? "n/a"
            : String.format(Locale.ROOT, "%.1f s", r.brokerCpuSeconds()),
        mb(r.peakRssBytes()),
        latency(r.latenciesNanos(), false),
        r.check());
  }

  /** Prints one workload's table. */
  static void table(
      PrintStream out,
      Workload w,
      String inputs,
      List<RunResult> results,
      List<String> contenders,
      List<Mode> modes) {
    out.println();
    out.println("== " + w + " " + w.description());
    out.println("   " + inputs);
    boolean restore = w.restores();
    out.printf(
        Locale.ROOT,
        "%-22s %-5s %12s %-21s %7s %6s %6s%s %8s %7s  %-16s %s%n",
        "contender",
        "mode",
        w == Workload.W5 ? "restored" : restore ? "restored/s" : "records/s",
        "(min..max)",
        restore ? "ready-s" : "s",
        "cpu-s",
        "cores",
        restore ? String.format(Locale.ROOT, " %8s", "cpu-s/M") : "",
        "brkcpu-s",
        "rss-MB",
        "lat p50/p99/max",
        "check");
    for (Mode mode : modes) {
      for (String c : contenders) {
        List<RunResult> runs =
            results.stream().filter(r -> r.contender().equals(c) && r.mode() == mode).toList();
        if (runs.isEmpty()) {
          String missing = c.equals(Contenders.WEIR) ? Contenders.weirMissing(w) : null;
          if (missing != null) {
            out.printf(Locale.ROOT, "%-22s %-5s %12s %s%n", c, mode.label(), "n/a", missing);
          }
          continue;
        }
        List<RunResult> ok = runs.stream().filter(RunResult::ok).toList();
        String check = "ok " + ok.size() + "/" + runs.size();
        if (ok.isEmpty()) {
          out.printf(Locale.ROOT, "%-22s %-5s %12s %s%n", c, mode.label(), "-", "FAILED " + check);
          continue;
        }
        double[] rates = ok.stream().mapToDouble(firstColumn(w)).sorted().toArray();
        double cpu = median(ok, RunResult::cpuSeconds);
        double secs = median(ok, RunResult::seconds);
        long[] lat = ok.stream().flatMapToLong(r -> Arrays.stream(r.latenciesNanos())).toArray();
        out.printf(
            Locale.ROOT,
            "%-22s %-5s %,12.0f %-21s %7.1f %6s %6s%s %8s %7s  %-16s %s%n",
            c,
            mode.label(),
            median(rates),
            String.format(Locale.ROOT, "(%,.0f..%,.0f)", rates[0], rates[rates.length - 1]),
            secs,
            cpu < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", cpu),
            cpu < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", cpu / secs),
            restore ? String.format(Locale.ROOT, " %8s", cpuPerMillion(ok)) : "",
            brokerCpu(ok),
            mb(Math.round(median(ok, r -> r.peakRssBytes()))),
            latency(lat, true),
            check);
      }
    }
    for (RunResult r : results) {
      if (!r.ok()) {
        out.printf(
            Locale.ROOT,
            "   failed: %s %s round %d: %s%n",
            r.contender(),
            r.mode().label(),
            r.round(),
            r.check());
      }
    }
  }

  /** What the table shows first: records/s, except W5: records restored. */
  private static ToDoubleFunction<RunResult> firstColumn(Workload w) {
    return w == Workload.W5 ? RunResult::records : RunResult::recordsPerSecond;
  }

  /**
   * Restore workloads: the median over runs of the contender's CPU seconds from start to ready per
   * million changelog records restored (start-up included); n/a when nothing was restored.
   */
  private static String cpuPerMillion(List<RunResult> ok) {
    List<RunResult> restored =
        ok.stream().filter(r -> r.records() > 0 && r.cpuSeconds() >= 0).toList();
    if (restored.isEmpty()) {
      return "n/a";
    }
    double perM = median(restored, r -> r.cpuSeconds() / (r.records() / 1e6));
    return String.format(Locale.ROOT, "%.2f", perM);
  }

  private static String brokerCpu(List<RunResult> ok) {
    double b = median(ok, RunResult::brokerCpuSeconds);
    return b < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", b);
  }

  /**
   * The comparison lines of one workload: {@code ratio W1 eos weir/kafka-streams=1.23 weir/raw=0.91
   * weir/flink=1.50}, one field per compared contender in {@code contenders}' order, with {@code
   * n/a (reason)} where a side has no valid measurement. Above 1 means Weir did better: more
   * records per second (W5: ready sooner, the ratio of the ready times).
   *
   * @param contenders the workload's lineup in this run ({@link PerfOptions#lineup})
   */
  static List<String> ratios(
      Workload w, List<RunResult> results, List<String> contenders, List<Mode> modes) {
    List<String> lines = new ArrayList<>();
    for (Mode mode : modes) {
      StringBuilder sb = new StringBuilder("ratio " + w + " " + mode.label());
      for (String other : contenders) {
        if (other.equals(Contenders.WEIR) || !Contenders.compared(other)) {
          continue;
        }
        sb.append(' ').append(Contenders.WEIR).append('/').append(other).append('=');
        String missing = Contenders.weirMissing(w);
        double weir = score(w, results, Contenders.WEIR, mode);
        double them = score(w, results, other, mode);
        if (missing != null) {
          sb.append("n/a (weir: ").append(missing).append(')');
        } else if (Double.isNaN(weir)) {
          sb.append("n/a (weir: ").append(why(results, Contenders.WEIR, mode)).append(')');
        } else if (Double.isNaN(them)) {
          sb.append("n/a (")
              .append(other)
              .append(": ")
              .append(why(results, other, mode))
              .append(')');
        } else {
          sb.append(String.format(Locale.ROOT, "%.2f", weir / them));
        }
      }
      lines.add(sb.toString());
    }
    return lines;
  }

  private static String why(List<RunResult> results, String contender, Mode mode) {
    boolean ran =
        results.stream().anyMatch(r -> r.contender().equals(contender) && r.mode() == mode);
    return ran ? "no run passed its output check" : "not run";
  }

  /**
   * A contender's median over the runs that passed, higher is better: records/s, except W5: 1 / its
   * ready seconds, since there the contenders restore different numbers of records.
   */
  private static double score(Workload w, List<RunResult> results, String contender, Mode mode) {
    List<RunResult> ok =
        results.stream()
            .filter(r -> r.ok() && r.contender().equals(contender) && r.mode() == mode)
            .toList();
    if (ok.isEmpty()) {
      return Double.NaN;
    }
    return w == Workload.W5
        ? 1 / median(ok, RunResult::seconds)
        : median(ok, RunResult::recordsPerSecond);
  }

  private static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0 || v[0] < 0) {
      return -1;
    }
    return median(v);
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String mb(long bytes) {
    return bytes < 0 ? "n/a" : Long.toString(bytes >> 20);
  }

  private static String latency(long[] nanos, boolean withMax) {
    if (nanos.length == 0) {
      return "-";
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    String p50 = ms(s[(int) Math.floor(0.50 * (s.length - 1))]);
    String p99 = ms(s[(int) Math.floor(0.99 * (s.length - 1))]);
    return withMax ? p50 + "/" + p99 + "/" + ms(s[s.length - 1]) : p50 + "/" + p99 + " ms";
  }

  private static String ms(long nanos) {
    return Long.toString(Math.round(nanos / 1e6));
  }
}
