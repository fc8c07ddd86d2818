package dev.weir.perf;

import dev.weir.testkit.JavaProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs W1-W3 and W6: every contender processes the whole data set from the beginning under a fresh
 * application id into its own output topic, alternating contenders and modes within each round, the
 * contenders' order rotated from round to round ({@link #orderOfRound}: A B C, B C A, C A B). Per
 * run: launch the JVM, tail and check the output until every expected record is visible to
 * read_committed, send latency probes, stop the JVM gracefully, read the output to its end (late
 * duplicates), judge it, delete the run's topics and state.
 *
 * <p>The measured interval runs from the contender's first parsed record (it reports the time and
 * its CPU time) to the moment the last expected output became visible to the harness: records/s is
 * the data set's size over that interval, CPU the contender's CPU time within it.
 */
final class StreamingRunner {
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

  /**
   * When the output has been silent this long and the contender has committed all of its input, the
   * missing outputs will not come.
   */
  private static final Duration QUIET = Duration.ofSeconds(15);

  private final Harness h;

  StreamingRunner(Harness harness) {
    this.h = harness;
  }

  List<RunResult> run(Workload w) throws InterruptedException {
    Dataset data =
        switch (w) {
          case W6 -> h.joinData();
          case W2K -> h.keyedData();
          default -> h.data();
        };
    List<RunResult> results = new ArrayList<>();
    List<String> contenders = new ArrayList<>(h.options.contendersOf(w));
    if (Contenders.weirMissing(w) != null) {
      contenders.remove(Contenders.WEIR);
    }
    for (String warmUp : h.options.warmUpsOf(w)) {
      if (warmUp.equals(Contenders.WEIR) && Contenders.weirMissing(w) != null) {
        continue;
      }
      for (Mode mode : h.options.modes()) {
        RunResult r = runOnce(w, data, warmUp, mode, 0);
        h.out.printf(Locale.ROOT, "  [%s %s] warm-up run, not counted:%n", w, mode.label());
        Report.progress(h.out, r);
      }
    }
    for (int round = 1; round <= h.options.rounds(); round++) {
      List<String> order = orderOfRound(contenders, round);
      printOrder(h, w, round, order);
      for (Mode mode : h.options.modes()) {
        for (String c : order) {
          RunResult r = runOnce(w, data, c, mode, round);
          results.add(r);
          Report.progress(h.out, r);
        }
      }
    }
    return results;
  }

  /**
   * The order the contenders run in within round {@code round} (1-based): the list rotated by
   * {@code round - 1}, so that round 1 keeps the given order and, over as many rounds as there are
   * contenders, each runs first once. Running first means running right after the data set was
   * loaded (round 1) or right after the previous round's last contender; a fixed order would give
   * one contender that position in every round.
   *
   * @param contenders the contenders in their configured order
   * @param round the round, from 1
   * @return a new list, the same contenders in this round's order
   */
  static List<String> orderOfRound(List<String> contenders, int round) {
    if (round < 1) {
      throw new IllegalArgumentException("rounds count from 1, got " + round);
    }
    int n = contenders.size();
    List<String> order = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      order.add(contenders.get((round - 1 + i) % n));
    }
    return order;
  }

  /** Prints a round's order, so that a run's log says which contender ran in which position. */
  static void printOrder(Harness h, Workload w, int round, List<String> order) {
    h.out.printf(Locale.ROOT, "  [%s r%d] order: %s%n", w, round, String.join(", ", order));
  }

  private OutputChecker checker(Workload w, Dataset data) {
    return switch (w) {
      case W1 -> new W1Checker(data);
      case W2, W2K -> new W2Checker(data);
      case W3 -> new W3Checker(data);
      case W6 -> new W6Checker(data, joinPairs());
      case W4, W5, W7, W8, W9 -> throw new IllegalArgumentException(w + " has its own runner");
    };
  }

  private RunResult runOnce(Workload w, Dataset data, String contender, Mode mode, int round)
      throws InterruptedException {
    String appId =
        (h.prefix() + "-" + w + "-" + contender + "-" + mode.label() + "-r" + round)
            .toLowerCase(Locale.ROOT);
    String output = appId + "-out";
    int probes = w.measuresLatency() ? h.options.probes() : 0;
    // A second input of the run's own: latency probes (W1, W3) or the flush records (W2, W2K).
    String extra = probes > 0 ? appId + "-probe" : w.flushes() ? appId + "-flush" : null;
    List<String> inputs =
        new ArrayList<>(
            switch (w) {
              case W6 -> h.joinTopics();
              case W2K -> List.of(h.keyedInputTopic());
              default -> List.of(h.inputTopic());
            });
    ContenderSpec spec;
    try {
      if (extra != null) {
        h.topics.create(h.options.partitions(), output, extra);
        inputs.add(extra);
      } else {
        h.topics.create(h.options.partitions(), output);
      }
      spec = h.spec(w, contender, mode, "run", inputs, output, appId);
      return measure(w, data, spec, probes, extra, round);
    } catch (RunFailure | IllegalStateException e) {
      return RunResult.failed(w, contender, mode, round, e.getMessage());
    } catch (java.io.IOException e) {
      return RunResult.failed(w, contender, mode, round, "launching the JVM failed: " + e);
    } finally {
      h.topics.deleteQuietly(appId + "-", output);
      Harness.deleteTree(h.runDir.resolve("state").resolve(appId));
    }
  }

  /**
   * W9: one run over a data set of its own ({@code input}, already loaded, {@code total} records
   * and its own flush records), named by {@code label}.
   */
  RunResult runOnce(
      Workload w,
      String label,
      String input,
      long total,
      OutputChecker checker,
      String contender,
      Mode mode,
      int round)
      throws InterruptedException {
    String appId =
        (h.prefix() + "-" + w + "-" + label + "-" + contender + "-" + mode.label() + "-r" + round)
            .toLowerCase(Locale.ROOT);
    String output = appId + "-out";
    try {
      h.topics.create(h.options.partitions(), output);
      ContenderSpec spec = h.spec(w, contender, mode, "run", List.of(input), output, appId);
      return measure(w, total, checker, () -> {}, null, spec, 0, null, round);
    } catch (RunFailure | IllegalStateException e) {
      return RunResult.failed(w, contender, mode, round, e.getMessage());
    } catch (java.io.IOException e) {
      return RunResult.failed(w, contender, mode, round, "launching the JVM failed: " + e);
    } finally {
      h.topics.deleteQuietly(appId + "-", output);
      Harness.deleteTree(h.runDir.resolve("state").resolve(appId));
    }
  }

  private RunResult measure(
      Workload w, Dataset data, ContenderSpec spec, int probes, String extra, int round)
      throws InterruptedException, java.io.IOException {
    return measure(
        w,
        data.totalRecords(),
        checker(w, data),
        () -> flush(data, extra),
        data,
        spec,
        probes,
        extra,
        round);
  }

  private RunResult measure(
      Workload w,
      long total,
      OutputChecker checker,
      Runnable flush,
      Dataset data,
      ContenderSpec spec,
      int probes,
      String extra,
      int round)
      throws InterruptedException, java.io.IOException {
    // The data set's topics: one, or W6's two (their committed offsets add up to the data set).
    List<String> dataTopics = spec.inputs().subList(0, w == Workload.W6 ? 2 : 1);
    boolean[] flushed = {!w.flushes()};
    long[] committed = {-1, 0}; // input offsets committed by the group, time of the last check
    // Records of the internal topics not yet consumed (-1: not checked yet).
    long[] backlog = {-1};
    AtomicLongArray sent = new AtomicLongArray(probes);
    long launchedMs = System.currentTimeMillis();
    long[] brokerCpuAtFirst = {-1};
    try (JavaProcess child = h.launch(spec, spec.appId());
        OutputTail tail =
            new OutputTail(h.bootstrap, spec.output(), checker, child.pid(), h.brokerCpu, sent)) {
      tail.start();
      boolean complete =
          tail.awaitComplete(
              Duration.ofSeconds(h.options.stallSeconds()),
              QUIET,
              () -> {
                Map<String, String> status = StatusFile.read(spec.statusFile());
                if (brokerCpuAtFirst[0] < 0 && status.containsKey("firstRecordMs")) {
                  brokerCpuAtFirst[0] = h.brokerCpu.getAsLong();
                }
                long now = System.nanoTime();
                if (now - committed[1] > 1_000_000_000L) {
                  committed[1] = now;
                  long c = 0;
                  for (String input : dataTopics) {
                    long one = committed(spec.appId(), input);
                    c = one < 0 || c < 0 ? -1 : c + one;
                  }
                  if (c > committed[0]) {
                    tail.touch(); // consuming input is progress, even before output appears
                    committed[0] = c;
                  }
                  if (c >= total) {
                    long b = internalBacklog(spec.appId());
                    if (b >= 0 && (backlog[0] < 0 || b < backlog[0])) {
                      tail.touch(); // so is a downstream sub-topology catching up
                    }
                    backlog[0] = b;
                  }
                  if (!flushed[0] && c >= total) {
                    flushed[0] = true;
                    flush.run();
                    tail.touch();
                  }
                }
                return Harness.problem(child, status);
              },
              // Done consuming: the data set's offsets, and what the contender's upstream
              // sub-topologies wrote to its internal topics (W6's join reads 200,000 records
              // from them after the sources are committed; under load that took minutes, and
              // the run was judged before the join had emitted anything).
              () -> committed[0] >= total && backlog[0] == 0);
      if (complete && probes > 0) {
        sendProbes(w, data, extra, sent);
        if (!tail.awaitProbes(probes, Duration.ofSeconds(60))) {
          String p = Harness.problem(child, spec.statusFile());
          throw new RunFailure(
              "latency probes did not all come through" + (p == null ? "" : ": " + p));
        }
      }
      boolean graceful = child.stop(STOP_GRACE);
      Map<String, String> status = StatusFile.read(spec.statusFile());
      if (status.containsKey("changelogRecords")) {
        long changelog = Long.parseLong(status.get("changelogRecords"));
        h.out.printf(
            java.util.Locale.ROOT,
            "  %s: %,d changelog records (%.3f per input record) in %s commits%n",
            spec.appId(),
            changelog,
            (double) changelog / Math.max(1, data.totalRecords()),
            status.get("commits"));
      }
      if (!graceful || status.containsKey("closeFailed")) {
        h.out.println(
            "  note: " + spec.appId() + " did not close cleanly: " + status.get("closeFailed"));
      }
      tail.drain(h.topics.endOffsets(spec.output()), DRAIN_TIMEOUT);
      OutputChecker.Verdict v = checker.verdict(spec.exactlyOnce(), complete ? probes : 0);
      if (!status.containsKey("firstRecordMs")) {
        throw new RunFailure("the contender never reported its first record; " + v.summary());
      }
      long firstMs = Long.parseLong(status.get("firstRecordMs"));
      long firstCpu = Long.parseLong(status.get("firstRecordCpuNs"));
      long doneMs = complete ? tail.doneEpochMs : tail.lastOutputEpochMs;
      double seconds = Math.max(1e-3, (doneMs - firstMs) / 1000.0);
      if (h.options.profiles(spec.contender())) {
        JfrSummary.writeWindow(h.runDir.resolve("jfr"), spec.appId(), firstMs, doneMs);
      }
      return new RunResult(
          w,
          spec.contender(),
          spec.mode(),
          round,
          v.ok(),
          v.summary(),
          total,
          total / seconds,
          seconds,
          (doneMs - launchedMs) / 1000.0,
          delta(firstCpu, tail.cpuAtDone),
          delta(
              Long.parseLong(status.getOrDefault("firstRecordJitCpuNs", "-1")), tail.jitCpuAtDone),
          delta(brokerCpuAtFirst[0], tail.brokerCpuAtDone),
          tail.rssAtDone,
          tail.probeLatencies());
    }
  }

  private long[] joinPairs() {
    try {
      return h.joinPairs();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@link Topics#internalBacklog}, or -1 when it cannot be read now. */
  private long internalBacklog(String appId) {
    try {
      return h.topics.internalBacklog(appId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (IllegalStateException e) {
      return -1;
    }
  }

  private long committed(String group, String topic) {
    try {
      return h.topics.committed(group, topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (IllegalStateException e) {
      return -1;
    }
  }

  /**
   * W2, W2K: the flush records, once the contender has consumed the data set (W2K's with their
   * keys, see {@link Dataset#flushRecords(Dataset.KeyedRecordSink)}).
   */
  private void flush(Dataset data, String topic) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> p = Loader.producer(h.bootstrap, 0)) {
      data.flushRecords(
          (partition, timestamp, key, value) ->
              p.send(
                  new ProducerRecord<>(topic, partition, timestamp, key, value),
                  (md, e) -> {
                    if (e != null) {
                      failure.compareAndSet(null, e);
                    }
                  }));
      p.flush();
    }
    if (failure.get() != null) {
      throw new RunFailure("writing the flush records failed: " + failure.get());
    }
  }

  private static double delta(long from, long to) {
    return from < 0 || to < 0 ? -1 : (to - from) / 1e9;
  }

  /** Writes probes at the configured rate, noting each one's send time. */
  private void sendProbes(Workload w, Dataset data, String topic, AtomicLongArray sent) {
    int n = sent.length();
    long interval = 1_000_000_000L / h.options.probeRate();
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong acked = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> p = Loader.producer(h.bootstrap, 0)) {
      long next = System.nanoTime();
      for (int j = 0; j < n; j++) {
        String key = w == Workload.W3 ? "p" + j : data.keyName(j % data.keys());
        long time = data.t0() + Dataset.FLUSH_OFFSET_MS;
        byte[] value =
            new Event(Event.PROBE_BASE + j, key, time, 1000, "c5", "probe")
                .toLine()
                .getBytes(StandardCharsets.UTF_8);
        long wait;
        while ((wait = next - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait); // pacing the probe rate
        }
        sent.set(j, System.nanoTime());
        p.send(
            new ProducerRecord<>(topic, j % data.partitions(), time, null, value),
            (md, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                acked.incrementAndGet();
              }
            });
        next += interval;
      }
      p.flush();
    }
    if (failure.get() != null || acked.get() != n) {
      throw new RunFailure("writing latency probes failed: " + failure.get());
    }
  }
}
