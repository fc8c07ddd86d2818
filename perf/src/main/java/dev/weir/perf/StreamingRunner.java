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
 * Runs W1-W3: every contender processes the whole data set from the beginning under a fresh
 * application id into its own output topic, alternating contenders (A B C A B C...) and modes
 * within each round. Per run: launch the JVM, tail and check the output until every expected record
 * is visible to read_committed, send latency probes, stop the JVM gracefully, read the output to
 * its end (late duplicates), judge it, delete the run's topics and state.
 */
final class StreamingRunner {
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(120);

  private final Harness h;

  StreamingRunner(Harness harness) {
    this.h = harness;
  }

  List<RunResult> run(Workload w) throws InterruptedException {
    Dataset data = h.data();
    List<RunResult> results = new ArrayList<>();
    List<String> contenders = new ArrayList<>(h.options.contendersOf(w));
    if (Contenders.weirMissing(w) != null) {
      contenders.remove(Contenders.WEIR);
    }
    for (int round = 1; round <= h.options.rounds(); round++) {
      for (Mode mode : h.options.modes()) {
        for (String c : contenders) {
          RunResult r = runOnce(w, data, c, mode, round);
          results.add(r);
          Report.progress(h.out, r);
        }
      }
    }
    return results;
  }

  private OutputChecker checker(Workload w, Dataset data) {
    return switch (w) {
      case W1 -> new W1Checker(data);
      case W2 -> new W2Checker(data);
      case W3 -> new W3Checker(data);
      case W4 -> throw new IllegalArgumentException("W4 is a restore workload");
    };
  }

  private RunResult runOnce(Workload w, Dataset data, String contender, Mode mode, int round)
      throws InterruptedException {
    String appId =
        (h.prefix() + "-" + w + "-" + contender + "-" + mode.label() + "-r" + round)
            .toLowerCase(Locale.ROOT);
    String output = appId + "-out";
    int probes = w.measuresLatency() ? h.options.probes() : 0;
    String probeTopic = probes > 0 ? appId + "-probe" : null;
    List<String> inputs = new ArrayList<>(List.of(h.inputTopic()));
    ContenderSpec spec;
    try {
      if (probeTopic != null) {
        h.topics.create(h.options.partitions(), output, probeTopic);
        inputs.add(probeTopic);
      } else {
        h.topics.create(h.options.partitions(), output);
      }
      spec = h.spec(w, contender, mode, "run", inputs, output, appId);
      return measure(w, data, spec, probes, probeTopic, round);
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
      Workload w, Dataset data, ContenderSpec spec, int probes, String probeTopic, int round)
      throws InterruptedException, java.io.IOException {
    OutputChecker checker = checker(w, data);
    AtomicLongArray sent = new AtomicLongArray(probes);
    long launched = System.nanoTime();
    try (JavaProcess child = h.launch(spec, spec.appId());
        OutputTail tail =
            new OutputTail(h.bootstrap, spec.output(), checker, child.pid(), h.brokerCpu, sent)) {
      tail.start();
      tail.awaitComplete(
          Duration.ofSeconds(h.options.stallSeconds()),
          () -> Harness.problem(child, spec.statusFile()));
      if (probes > 0) {
        sendProbes(w, data, probeTopic, sent);
        if (!tail.awaitProbes(probes, Duration.ofSeconds(60))) {
          String p = Harness.problem(child, spec.statusFile());
          throw new RunFailure(
              "latency probes did not all come through" + (p == null ? "" : ": " + p));
        }
      }
      boolean graceful = child.stop(STOP_GRACE);
      Map<String, String> status = StatusFile.read(spec.statusFile());
      if (!graceful || status.containsKey("closeFailed")) {
        h.out.println(
            "  note: " + spec.appId() + " did not close cleanly: " + status.get("closeFailed"));
      }
      tail.drain(h.topics.endOffsets(spec.output()), DRAIN_TIMEOUT);
      OutputChecker.Verdict v = checker.verdict(spec.exactlyOnce(), probes);
      double seconds = Math.max(1e-3, (tail.doneNanos - tail.firstNanos) / 1e9);
      return new RunResult(
          w,
          spec.contender(),
          spec.mode(),
          round,
          v.ok(),
          v.summary(),
          data.totalRecords() / seconds,
          seconds,
          (tail.doneNanos - launched) / 1e9,
          delta(tail.cpuAtFirst, tail.cpuAtDone),
          delta(tail.brokerCpuAtFirst, tail.brokerCpuAtDone),
          tail.rssAtDone,
          tail.probeLatencies());
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
