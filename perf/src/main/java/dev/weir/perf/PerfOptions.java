package dev.weir.perf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The harness's command line. See {@link #USAGE}.
 *
 * @param workloads the workloads to run, in order
 * @param records data set size
 * @param keys distinct keys
 * @param partitions partitions of input and output topics
 * @param rounds rounds of A B C alternation
 * @param modes guarantees to measure
 * @param contenders contender names to run (empty: all)
 * @param heap the {@code -Xmx} of every contender JVM
 * @param threads processing threads per contender
 * @param probes latency probes per run (0 disables the latency phase)
 * @param probeRate probes per second
 * @param stallSeconds a run fails when no output arrives for this long
 * @param workDir logs, state and profiles
 * @param profile the contenders to record with JFR, separated by commas (null: none)
 * @param childLogLevel slf4j-simple level in contender JVMs
 * @param weirLogLevel slf4j-simple level of the library's loggers ({@code dev.weir}) in the Weir
 *     contenders' JVMs, for example {@code info} to see whether a restore read its changelogs raw;
 *     null: {@link #childLogLevel}
 * @param bootstrap an existing cluster to use instead of starting one (null: start one)
 * @param flinkClasspath the classpath of the Flink contender's JVM (module {@code perf-flink},
 *     which {@code perf/run.sh --flink} builds); null when it was not built, and Flink does not run
 * @param rate W8: input records per second
 * @param eventSeconds W8: length of each event window
 * @param warmUp W1-W3, W6: the contenders to run once per mode before round 1, not counted, so that
 *     round 1's runs do not meet a broker (and a page cache) that has only loaded the data set: a
 *     name, names separated by commas, or {@code all} for every contender of the run (null: none);
 *     see {@link #warmUpsOf}
 * @param w9Records W9: records per window size as given by {@code --w9-records}; 0 when not given,
 *     and W9 then runs {@code min(--records, 240,000)} (see {@link #w9RecordsPerSize})
 * @param w9Sizes W9: the window sizes (records per key and window) to run, in order, as given by
 *     {@code --w9-sizes}; {@link W9Runner#SIZES} by default
 */
record PerfOptions(
    List<Workload> workloads,
    int records,
    int keys,
    int partitions,
    int rounds,
    List<Mode> modes,
    Set<String> contenders,
    String heap,
    int threads,
    int probes,
    int probeRate,
    int stallSeconds,
    Path workDir,
    String profile,
    String childLogLevel,
    String weirLogLevel,
    String bootstrap,
    String flinkClasspath,
    int rate,
    int eventSeconds,
    String warmUp,
    int w9Records,
    List<Integer> w9Sizes) {

  static final String USAGE =
      String.join(
          "\n",
          "usage: perf/run.sh WORKLOAD... [options]     WORKLOAD: W1, W2, W2K, W3..W9 or all",
          "  W1 stateless, W2 windowed count, W2K windowed count on input already keyed (no",
          "  repartition), W3 running count, W4 restore from the changelog,",
          "  W5 recover after kill -9, W6 interval join of two topics, W7 async enrichment against",
          "  a 20 ms service (W7 runs at most 50,000 records async and records/100 (50..500)",
          "  blocking; see docs/performance.md), W9 a window function over 2,000 and 20,000",
          "  records per window (min(--records, 240000) records per size, 4 keys; see",
          "  --w9-records), W8 scale 2 -> 3 instances then kill -9 one, under a steady --rate over",
          "  --keys keys (exactly-once only)",
          "  --records N         data set size; W4, W5: distinct keys (default 2000000)",
          "  --keys N            distinct keys (default 10000)",
          "  --partitions N      partitions of input and output topics (default 8)",
          "  --rounds N          rounds; each runs every contender once per mode (default 3)",
          "  --modes LIST        eos,alos (default both)",
          "  --contenders LIST   weir,kafka-streams,raw,kafka-streams-grace5s,flink (default all)",
          "  --flink             (perf/run.sh) build module perf-flink (-Pflink) and run Flink 2.2.1",
          "                      in W1, W2, W2K, W6 and W9; without it Flink is left out",
          "  --flink-classpath CP  the Flink contender JVM's classpath (perf/run.sh --flink sets it)",
          "  --heap SIZE         -Xmx of every contender JVM (default 1g)",
          "  --threads N         processing threads per contender (default 1)",
          "  --probes N          latency probes per run, 0 to skip (default 2000)",
          "  --probe-rate N      probes per second (default 1000)",
          "  --stall-seconds N   fail a run after N s without new output (default 120)",
          "  --work-dir DIR      logs, state, JFR files (default target/perf)",
          "  --profile NAME[,NAME...]  record the named contenders with JFR and print where time goes",
          "  --warm-up NAMES     W1-W3, W6: run these contenders (comma-separated, or all) once per",
          "                      mode before round 1, not counted (round 1 otherwise meets a cold",
          "                      broker)",
          "  --child-log-level L slf4j level in contender JVMs (default warn)",
          "  --weir-log L        slf4j level of the library's loggers (dev.weir) in the Weir",
          "                      contenders' JVMs, e.g. info: restore steps (default: as above)",
          "  --bootstrap HOST:PORT  use this cluster instead of starting one",
          "  --rate N            W8: input records per second (default 2000)",
          "  --event-seconds N   W8: length of the steady, scale-out and kill windows (default 90)",
          "  --w9-records N      W9: records per window size, instead of min(--records, 240000);",
          "                      Kafka Streams runs W9 at about 500 records/s at n=20,000 (its",
          "                      list aggregate rewrites the window's list per record), so leave it",
          "                      out (--contenders weir,flink) of runs far above 240000",
          "  --w9-sizes N,N,...  W9: the window sizes to run, records per key and window (default",
          "                      2000,20000); e.g. 2000,20000,200000 with --w9-records 2400000");

  /**
   * W9's records per window size: {@code --w9-records} when given, else {@code min(--records,
   * 240000)} ({@link W9Runner#DEFAULT_MAX_RECORDS}), so that a run without the option keeps the
   * record count W9 always had.
   */
  int w9RecordsPerSize() {
    return w9Records > 0 ? w9Records : Math.min(records, W9Runner.DEFAULT_MAX_RECORDS);
  }

  /** Whether {@code contender} is one of {@link #profile}'s. */
  boolean profiles(String contender) {
    return profile != null && List.of(profile.split(",")).contains(contender);
  }

  static PerfOptions parse(String... args) {
    List<Workload> workloads = new ArrayList<>();
    int records = 2_000_000;
    int keys = 10_000;
    int partitions = 8;
    int rounds = 3;
    List<Mode> modes = List.of(Mode.EOS, Mode.ALOS);
    Set<String> contenders = Set.of();
    String heap = "1g";
    int threads = 1;
    int probes = 2000;
    int probeRate = 1000;
    int stall = 120;
    Path workDir = Path.of("target", "perf");
    String profile = null;
    String logLevel = "warn";
    String weirLogLevel = null;
    String bootstrap = null;
    String flinkClasspath = null;
    int rate = 2000;
    int eventSeconds = 90;
    String warmUp = null;
    int w9Records = 0;
    List<Integer> w9Sizes = W9Runner.SIZES;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        if (a.equalsIgnoreCase("all")) {
          workloads.addAll(EnumSet.allOf(Workload.class));
        } else {
          try {
            workloads.add(Workload.valueOf(a.toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown workload '" + a + "'\n" + USAGE, e);
          }
        }
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + a + " needs a value\n" + USAGE);
      }
      String v = args[++i];
      switch (a) {
        case "--records" -> records = positive(a, v);
        case "--keys" -> keys = positive(a, v);
        case "--partitions" -> partitions = positive(a, v);
        case "--rounds" -> rounds = positive(a, v);
        case "--modes" -> modes = List.copyOf(parseModes(v));
        case "--contenders" -> contenders = Set.of(v.split(","));
        case "--heap" -> heap = v;
        case "--threads" -> threads = positive(a, v);
        case "--probes" -> probes = Integer.parseInt(v);
        case "--probe-rate" -> probeRate = positive(a, v);
        case "--stall-seconds" -> stall = positive(a, v);
        case "--work-dir" -> workDir = Path.of(v);
        case "--profile" -> profile = v;
        case "--child-log-level" -> logLevel = v;
        case "--weir-log" -> weirLogLevel = v.isBlank() ? null : v;
        case "--bootstrap" -> bootstrap = v;
        case "--flink-classpath" -> flinkClasspath = v.isBlank() ? null : v;
        case "--rate" -> rate = positive(a, v);
        case "--event-seconds" -> eventSeconds = positive(a, v);
        case "--warm-up" -> warmUp = v.isBlank() ? null : v;
        case "--w9-records" -> w9Records = positive(a, v);
        case "--w9-sizes" -> w9Sizes = parseSizes(a, v);
        default -> throw new IllegalArgumentException("Unknown option " + a + "\n" + USAGE);
      }
    }
    if (workloads.isEmpty()) {
      throw new IllegalArgumentException("Name a workload\n" + USAGE);
    }
    if (probes < 0) {
      throw new IllegalArgumentException("--probes must not be negative");
    }
    if (flinkClasspath == null && contenders.contains(Contenders.FLINK)) {
      throw new IllegalArgumentException(
          "--contenders names flink, but the Flink contender was not built: run perf/run.sh with"
              + " --flink (it builds module perf-flink with -Pflink and passes --flink-classpath)");
    }
    return new PerfOptions(
        List.copyOf(new java.util.LinkedHashSet<>(workloads)),
        records,
        keys,
        partitions,
        rounds,
        modes,
        contenders,
        heap,
        threads,
        probes,
        probeRate,
        stall,
        workDir,
        profile,
        logLevel,
        weirLogLevel,
        bootstrap,
        flinkClasspath,
        rate,
        eventSeconds,
        warmUp,
        w9Records,
        w9Sizes);
  }

  private static List<Integer> parseSizes(String option, String v) {
    List<Integer> sizes = new ArrayList<>();
    for (String s : v.split(",")) {
      int n = positive(option, s.trim());
      if (sizes.contains(n)) {
        throw new IllegalArgumentException(option + " names " + n + " twice: " + v);
      }
      sizes.add(n);
    }
    return List.copyOf(sizes);
  }

  private static List<Mode> parseModes(String v) {
    List<Mode> m = new ArrayList<>();
    for (String s : v.split(",")) {
      m.add(Mode.of(s.trim()));
    }
    return m;
  }

  private static int positive(String option, String v) {
    int n;
    try {
      n = Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a number, got '" + v + "'", e);
    }
    if (n < 1) {
      throw new IllegalArgumentException(option + " must be positive, got " + n);
    }
    return n;
  }

  /**
   * The contenders this run reports for a workload: {@link Contenders#of}, without Flink unless it
   * was built ({@link #flinkClasspath}), so that a run without Flink prints the ratio lines it
   * always has.
   */
  List<String> lineup(Workload w) {
    return Contenders.of(w).stream()
        .filter(c -> flinkClasspath != null || !c.equals(Contenders.FLINK))
        .toList();
  }

  /**
   * The contenders to run once, uncounted, before round 1 of workload {@code w}: those named by
   * {@code --warm-up} that the workload has (in the given order), or with {@code all} every
   * contender of the run ({@link #contendersOf}) in its configured order.
   *
   * @param w the workload
   * @return the warm-up contenders, empty without {@code --warm-up}
   */
  List<String> warmUpsOf(Workload w) {
    if (warmUp == null) {
      return List.of();
    }
    if (warmUp.equalsIgnoreCase("all")) {
      return contendersOf(w);
    }
    List<String> named = new ArrayList<>();
    for (String c : warmUp.split(",")) {
      String name = c.strip();
      if (!name.isEmpty() && lineup(w).contains(name) && !named.contains(name)) {
        named.add(name);
      }
    }
    return List.copyOf(named);
  }

  /** Contenders of a workload selected by {@code --contenders}, in alternation order. */
  List<String> contendersOf(Workload w) {
    return lineup(w).stream()
        .filter(
            c ->
                contenders.isEmpty()
                    ? !c.equals(Contenders.WEIR_SESSION_ONLY)
                    : contenders.contains(c))
        .toList();
  }
}
