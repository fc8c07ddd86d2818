package dev.weir.perf;

import dev.weir.testkit.JavaProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * W8, scaling and failover under load: W3's keyed running count (a repartition, then a count per
 * key in state with a changelog) over {@code --keys} keys, first one record per key (the state),
 * then a steady {@code --rate} of records per second. Two instances of a contender run in child
 * JVMs from the start; after a steady window a third one starts (scale-out), and after another
 * window the first one is killed with {@code kill -9}. For each of the three windows ({@code
 * --event-seconds} long) W8 reports the longest processing gap and the p99 end-to-end latency
 * ({@link W8Gaps}); the read_committed output is checked exactly ({@link W8Checker}).
 *
 * <p>Both contenders get the same replication and failure-detection settings: one standby replica,
 * {@code acceptable.recovery.lag=10000}, two warm-up replicas, probing rebalances every 60 s (Kafka
 * Streams' minimum), 100 ms commits, exactly-once (v2 in Kafka Streams), and a 6 s consumer session
 * timeout (the broker's minimum; the consumer default, 45 s, would dominate the kill window). The
 * transaction timeout is both sides' default, 10 s. Both run their instances as static members
 * ({@code group.instance.id} per instance, as for rolling restarts), and Weir's instances watch
 * each other with peer liveness (design record 021: {@code liveness.listener}, default {@code
 * liveness.timeout.ms} of 1 s); the contender {@code weir-session-only}, run only when named in
 * {@code --contenders}, is Weir without it.
 */
final class W8Runner {
  /** The events, in order; each is a window of {@code --event-seconds}. */
  static final List<String> EVENTS = List.of("steady", "scale-out", "kill");

  private static final int SESSION_TIMEOUT_MS = 6_000;
  private static final int HEARTBEAT_MS = 1_500;

  /**
   * Weir's settings for one instance.
   *
   * @param spec the instance's spec: its state directory's name ({@code i1}, ...) names its static
   *     member
   * @param liveness whether the instances watch each other (design record 021)
   */
  static Map<String, Object> weirSettings(ContenderSpec spec, boolean liveness) {
    Map<String, Object> m = new java.util.HashMap<>(WEIR_SETTINGS);
    m.put("consumer.group.instance.id", staticId(spec));
    if (liveness) {
      m.put("liveness.listener", "127.0.0.1:0");
    }
    return m;
  }

  /** Kafka Streams' settings for one instance: {@link #KAFKA_STREAMS_SETTINGS}, static member. */
  static Map<String, Object> kafkaStreamsSettings(ContenderSpec spec) {
    Map<String, Object> m = new java.util.HashMap<>(KAFKA_STREAMS_SETTINGS);
    // Kafka Streams appends each thread's index to it, as Weir does.
    m.put(StreamsConfig.consumerPrefix("group.instance.id"), staticId(spec));
    return m;
  }

  private static String staticId(ContenderSpec spec) {
    return spec.appId() + "-" + spec.stateDir().getFileName();
  }

  static final Map<String, Object> WEIR_SETTINGS =
      Map.of(
          "num.standby.replicas",
          1,
          "acceptable.recovery.lag",
          10_000L,
          "max.warmup.replicas",
          2,
          "probing.rebalance.interval.ms",
          60_000L,
          "commit.interval.ms",
          100L,
          "consumer.session.timeout.ms",
          SESSION_TIMEOUT_MS,
          "consumer.heartbeat.interval.ms",
          HEARTBEAT_MS);

  static final Map<String, Object> KAFKA_STREAMS_SETTINGS =
      Map.of(
          StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
          1,
          StreamsConfig.ACCEPTABLE_RECOVERY_LAG_CONFIG,
          10_000L,
          StreamsConfig.MAX_WARMUP_REPLICAS_CONFIG,
          2,
          StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG,
          60_000L,
          StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
          100L,
          StreamsConfig.consumerPrefix("session.timeout.ms"),
          SESSION_TIMEOUT_MS,
          StreamsConfig.consumerPrefix("heartbeat.interval.ms"),
          HEARTBEAT_MS);

  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final Harness h;

  /** Whether the current run's first instance was killed on purpose. */
  private boolean killed;

  W8Runner(Harness harness) {
    this.h = harness;
  }

  /**
   * One run of one contender.
   *
   * @param gapMs per event, the longest gap (-1 when the run failed before it)
   * @param p99Ms per event, the p99 latency (-1 when no record was sent in the window)
   */
  record Run(
      String contender,
      int round,
      boolean ok,
      String check,
      long[] gapMs,
      long[] p99Ms,
      long inputs,
      double rate) {

    /** The run's gap for the ratio: the longest of the scale-out and kill windows. */
    long eventGap() {
      return gapMs[1] < 0 || gapMs[2] < 0 ? -1 : Math.max(gapMs[1], gapMs[2]);
    }
  }

  List<String> run() throws InterruptedException {
    List<String> contenders = h.options.contendersOf(Workload.W8);
    List<Run> runs = new ArrayList<>();
    h.out.printf(
        Locale.ROOT,
        "W8: %,d keys, %,d records/s, %d partitions, %d s windows, exactly-once; 2 instances,"
            + " +1 after the steady window, kill -9 of the first after the scale-out window%n",
        h.options.keys(),
        h.options.rate(),
        h.options.partitions(),
        h.options.eventSeconds());
    for (int round = 1; round <= h.options.rounds(); round++) {
      for (String c : contenders) {
        Run r = runOnce(c, round);
        runs.add(r);
        h.out.println("  " + describe(r));
      }
    }
    return summary(runs, contenders);
  }

  /** The per-event lines and the ratio line, printed last. */
  static List<String> summary(List<Run> runs, List<String> contenders) {
    List<String> lines = new ArrayList<>();
    for (int e = 0; e < EVENTS.size(); e++) {
      StringBuilder sb = new StringBuilder("W8 eos " + EVENTS.get(e) + ":");
      for (String c : contenders) {
        int event = e;
        long gap = W8Gaps.median(of(runs, c).mapToLong(r -> r.gapMs()[event]).toArray());
        long p99 = W8Gaps.median(of(runs, c).mapToLong(r -> r.p99Ms()[event]).toArray());
        sb.append(String.format(Locale.ROOT, " %s gap=%dms p99=%dms", c, gap, p99));
      }
      lines.add(sb.toString());
    }
    boolean ok = runs.stream().allMatch(Run::ok);
    long weir = W8Gaps.median(of(runs, Contenders.WEIR).mapToLong(Run::eventGap).toArray());
    long ks = W8Gaps.median(of(runs, Contenders.KAFKA_STREAMS).mapToLong(Run::eventGap).toArray());
    String ratio =
        weir > 0 && ks > 0 ? String.format(Locale.ROOT, "%.2f", (double) ks / weir) : "n/a";
    lines.add(
        "ratio W8 eos gap kafka-streams/weir=" + ratio + (ok ? "" : " (output check FAILED)"));
    return lines;
  }

  private static java.util.stream.Stream<Run> of(List<Run> runs, String contender) {
    return runs.stream().filter(r -> r.contender().equals(contender) && r.eventGap() >= 0);
  }

  private static String clock(long epochMs) {
    return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
        .format(java.time.Instant.ofEpochMilli(epochMs).atZone(java.time.ZoneId.systemDefault()));
  }

  private static String describe(Run r) {
    StringBuilder sb =
        new StringBuilder(
            String.format(Locale.ROOT, "W8 %-13s round %d:", r.contender(), r.round()));
    for (int e = 0; e < EVENTS.size(); e++) {
      sb.append(
          String.format(
              Locale.ROOT, " %s gap %d ms p99 %d ms;", EVENTS.get(e), r.gapMs()[e], r.p99Ms()[e]));
    }
    sb.append(String.format(Locale.ROOT, " %,d inputs at %,.0f rec/s; ", r.inputs(), r.rate()));
    return sb.append(r.check()).toString();
  }

  private Run failed(String c, int round, String why) {
    long[] none = {-1, -1, -1};
    return new Run(c, round, false, "FAILED: " + why, none, none.clone(), 0, 0);
  }

  private Run runOnce(String c, int round) throws InterruptedException {
    String appId = (h.prefix() + "-W8-" + c + "-r" + round).toLowerCase(Locale.ROOT);
    String input = appId + "-in";
    String output = appId + "-out";
    int keys = h.options.keys();
    long windowMs = h.options.eventSeconds() * 1000L;
    h.topics.create(h.options.partitions(), input, output);
    List<JavaProcess> instances = new ArrayList<>();
    List<ContenderSpec> specs = new ArrayList<>();
    W8Checker checker = new W8Checker(keys);
    killed = false;
    try (W8Traffic.Generator gen = new W8Traffic.Generator(h.bootstrap, input, keys);
        W8Traffic.Reader reader =
            new W8Traffic.Reader(h.bootstrap, output, h.options.partitions(), checker)) {
      gen.preload();
      reader.start();
      for (int i = 1; i <= 2; i++) {
        launch(c, appId, i, input, output, instances, specs);
      }
      String problem = awaitOutputs(reader, keys, instances, specs);
      if (problem != null) {
        return failed(c, round, "the preloaded state: " + problem);
      }
      long sentBefore = gen.sent();
      long genStart = System.currentTimeMillis();
      gen.start(h.options.rate());
      // Let the rate settle (the first seconds after start) before the steady window.
      problem = watch(Math.min(10_000, windowMs / 3), instances, specs);
      long[] starts = new long[EVENTS.size() + 1];
      for (int e = 0; e < EVENTS.size() && problem == null; e++) {
        if (e == 1) {
          launch(c, appId, 3, input, output, instances, specs);
        } else if (e == 2) {
          killed = true;
          instances.get(0).kill(); // kill -9: no shutdown hook, the session must time out
        }
        starts[e] = System.currentTimeMillis();
        problem = watch(windowMs, instances, specs);
      }
      starts[EVENTS.size()] = System.currentTimeMillis();
      int[] sentPerKey = gen.stop();
      long inputs = gen.sent() - sentBefore;
      double rate = inputs * 1000.0 / Math.max(1, starts[EVENTS.size()] - genStart);
      if (problem != null) {
        return failed(c, round, problem);
      }
      problem = awaitOutputs(reader, gen.sent(), instances, specs);
      for (int i = killed ? 1 : 0; i < instances.size(); i++) {
        instances.get(i).stop(STOP_GRACE);
      }
      reader.stop();
      if (problem != null) {
        return failed(c, round, "draining: " + problem);
      }
      long[][] byPartition = reader.arrivalsByPartition();
      long[] ts = reader.timestamps();
      long[] arrivals = reader.arrivals();
      long[] gaps = new long[EVENTS.size()];
      long[] p99s = new long[EVENTS.size()];
      for (int e = 0; e < EVENTS.size(); e++) {
        W8Gaps.Gap gap = W8Gaps.longest(byPartition, starts[e], starts[e + 1]);
        gaps[e] = gap.ms();
        p99s[e] = W8Gaps.p99(ts, arrivals, starts[e], starts[e + 1]);
        // Clock times, to find the gap's steps in the contenders' logs (they print the same).
        h.out.printf(
            Locale.ROOT,
            "    %s %s from %s: longest gap %d ms on output partition %d, %s to %s%n",
            c,
            EVENTS.get(e),
            clock(starts[e]),
            gap.ms(),
            gap.partition(),
            clock(gap.from()),
            clock(gap.to()));
      }
      OutputChecker.Verdict v = checker.verdict(sentPerKey);
      return new Run(c, round, v.ok(), v.summary(), gaps, p99s, inputs, rate);
    } catch (IOException | RuntimeException e) {
      return failed(c, round, e.toString());
    } finally {
      for (JavaProcess p : instances) {
        if (p.isAlive()) {
          p.kill();
        }
      }
      h.topics.deleteQuietly(appId + "-", input, output);
      Harness.deleteTree(h.runDir.resolve("state").resolve(appId));
    }
  }

  private void launch(
      String c,
      String appId,
      int instance,
      String input,
      String output,
      List<JavaProcess> instances,
      List<ContenderSpec> specs)
      throws IOException {
    String name = appId + "-i" + instance;
    ContenderSpec spec =
        new ContenderSpec(
            Workload.W8.name(),
            c,
            Mode.EOS,
            "run",
            h.bootstrap,
            List.of(input),
            output,
            appId,
            // Each instance has its own state directory, as on separate machines.
            h.runDir.resolve("state").resolve(appId).resolve("i" + instance),
            h.runDir.resolve("status").resolve(name),
            h.options.threads());
    specs.add(spec);
    instances.add(h.launch(spec, name));
  }

  /**
   * Watches the living instances for {@code millis}: returns why one cannot go on, or null. The
   * windows are the benchmark's schedule; the instances report failures through status files.
   */
  private String watch(long millis, List<JavaProcess> instances, List<ContenderSpec> specs)
      throws InterruptedException {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      String p = problem(instances, specs);
      if (p != null) {
        return p;
      }
      Thread.sleep(Math.max(1, Math.min(200, end - System.currentTimeMillis())));
    }
    return null;
  }

  /** Why an instance not killed on purpose cannot go on, or null. */
  private String problem(List<JavaProcess> instances, List<ContenderSpec> specs) {
    for (int i = 0; i < instances.size(); i++) {
      JavaProcess p = instances.get(i);
      if (i == 0 && killed) {
        continue; // killed in the last window: dead on purpose
      }
      String problem = Harness.problem(p, specs.get(i).statusFile());
      if (problem != null) {
        return "instance " + (i + 1) + ": " + problem;
      }
    }
    return null;
  }

  /** Waits until the reader took {@code n} outputs in order, while they keep coming. */
  private String awaitOutputs(
      W8Traffic.Reader reader, long n, List<JavaProcess> instances, List<ContenderSpec> specs)
      throws InterruptedException {
    long stallMs = h.options.stallSeconds() * 1000L;
    long seen = reader.seen();
    long progress = System.currentTimeMillis();
    while (seen < n) {
      if (reader.failure() != null) {
        return "reading the output failed: " + reader.failure();
      }
      String p = problem(instances, specs);
      if (p != null) {
        return p;
      }
      if (System.currentTimeMillis() - progress > stallMs) {
        return String.format(
            Locale.ROOT, "%,d of %,d outputs, none for %d s", seen, n, h.options.stallSeconds());
      }
      Thread.sleep(100); // sampling the reader's counter
      long now = reader.seen();
      if (now != seen) {
        seen = now;
        progress = System.currentTimeMillis();
      }
    }
    return null;
  }
}
