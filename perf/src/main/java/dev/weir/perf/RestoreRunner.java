package dev.weir.perf;

import dev.weir.testkit.JavaProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs W4: a keyed input of {@code --records} distinct keys (about 100-byte values) is loaded once.
 * Each contender (per mode) consumes it once under its application id, which fills its changelog
 * ({@code load} phase, not timed). Then, alternating contenders over the rounds, each restore run
 * deletes the contender's local state and starts it again: the contender reports the time from
 * start until its state is restored and it is running, the records restored and the CPU used, and
 * the number of entries its store holds afterwards, which must equal the number of keys.
 */
final class RestoreRunner {
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(15);

  private final Harness h;

  RestoreRunner(Harness harness) {
    this.h = harness;
  }

  List<RunResult> run() throws InterruptedException {
    Workload w = Workload.W4;
    List<String> contenders = new ArrayList<>(h.options.contendersOf(w));
    if (Contenders.weirMissing(w) != null) {
      contenders.remove(Contenders.WEIR);
    }
    List<RunResult> results = new ArrayList<>();
    if (contenders.isEmpty()) {
      return results;
    }
    String input = h.prefix() + "-w4-input";
    h.topics.create(h.options.partitions(), input);
    int keys = h.options.records();
    loadKeyed(input, keys);
    Map<String, String> loaded = new LinkedHashMap<>(); // appId -> failure or null
    try {
      for (Mode mode : h.options.modes()) {
        for (String c : contenders) {
          String appId = appId(c, mode);
          loaded.put(appId, load(w, c, mode, input, appId));
        }
      }
      for (int round = 1; round <= h.options.rounds(); round++) {
        for (Mode mode : h.options.modes()) {
          for (String c : contenders) {
            String appId = appId(c, mode);
            RunResult r =
                loaded.get(appId) != null
                    ? RunResult.failed(w, c, mode, round, "load failed: " + loaded.get(appId))
                    : restore(w, c, mode, round, input, appId, keys);
            results.add(r);
            Report.progress(h.out, r);
          }
        }
      }
    } finally {
      for (String appId : loaded.keySet()) {
        h.topics.deleteQuietly(appId + "-");
        Harness.deleteTree(h.runDir.resolve("state").resolve(appId));
      }
      h.topics.deleteQuietly(null, input);
    }
    return results;
  }

  private String appId(String contender, Mode mode) {
    return (h.prefix() + "-w4-" + contender + "-" + mode.label()).toLowerCase(Locale.ROOT);
  }

  private void loadKeyed(String topic, int keys) {
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong acked = new AtomicLong();
    long begin = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> p = Loader.producer(h.bootstrap, 20)) {
      for (int i = 0; i < keys; i++) {
        String key = String.format(Locale.ROOT, "u%09d", i);
        String line =
            new Event(i, key, 0, i % 100_000, "c1", "abcdefghijklmnopqrstuvwxyz".repeat(3))
                .toLine();
        p.send(
            new ProducerRecord<>(
                topic, key.getBytes(StandardCharsets.UTF_8), line.getBytes(StandardCharsets.UTF_8)),
            (md, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              } else {
                acked.incrementAndGet();
              }
            });
      }
      p.flush();
    }
    if (failure.get() != null || acked.get() != keys) {
      throw new IllegalStateException("Loading " + topic + " failed: " + failure.get());
    }
    h.out.printf(
        Locale.ROOT,
        "Loaded %,d distinct keys into %s in %.1f s%n",
        keys,
        topic,
        (System.nanoTime() - begin) / 1e9);
  }

  /** Runs the load phase; returns null when done, else why not. */
  private String load(Workload w, String c, Mode mode, String input, String appId)
      throws InterruptedException {
    ContenderSpec spec = h.spec(w, c, mode, "load", List.of(input), "-", appId);
    long begin = System.nanoTime();
    try (JavaProcess child = h.launch(spec, appId + "-load")) {
      String problem = await(child, spec, "loaded", LOAD_TIMEOUT);
      if (problem != null) {
        return problem;
      }
      child.stop(Duration.ofSeconds(60));
      h.out.printf(
          Locale.ROOT,
          "  %s %s: changelog filled in %.1f s%n",
          c,
          mode.label(),
          (System.nanoTime() - begin) / 1e9);
      return null;
    } catch (IOException e) {
      return "launching the JVM failed: " + e;
    }
  }

  private RunResult restore(
      Workload w, String c, Mode mode, int round, String input, String appId, int keys)
      throws InterruptedException {
    ContenderSpec spec = h.spec(w, c, mode, "restore", List.of(input), "-", appId);
    Harness.deleteTree(spec.stateDir());
    long launched = System.nanoTime();
    try (JavaProcess child = h.launch(spec, appId + "-restore-r" + round)) {
      String problem = await(child, spec, "restored", RESTORE_TIMEOUT);
      if (problem != null) {
        return RunResult.failed(w, c, mode, round, problem);
      }
      double wall = (System.nanoTime() - launched) / 1e9;
      long rss = ProcStats.peakRssBytes(child.pid());
      Map<String, String> s = StatusFile.read(spec.statusFile());
      double seconds = Math.max(1e-3, Long.parseLong(s.get("restoreMs")) / 1000.0);
      long restored = Long.parseLong(s.get("restoredRecords"));
      long entries = Long.parseLong(s.get("storeEntries"));
      boolean ok = entries == keys && restored >= keys;
      String check =
          ok
              ? "ok: " + entries + " entries from " + restored + " changelog records"
              : "store holds " + entries + " of " + keys + " keys after restoring " + restored;
      child.stop(Duration.ofSeconds(60));
      return new RunResult(
          w,
          c,
          mode,
          round,
          ok,
          check,
          restored / seconds,
          seconds,
          wall,
          Long.parseLong(s.get("cpuMs")) / 1000.0,
          -1,
          rss,
          new long[0]);
    } catch (IOException e) {
      return RunResult.failed(w, c, mode, round, "launching the JVM failed: " + e);
    }
  }

  private static String await(JavaProcess child, ContenderSpec spec, String key, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!StatusFile.read(spec.statusFile()).containsKey(key)) {
      String p = Harness.problem(child, spec.statusFile());
      if (p != null) {
        return p;
      }
      if (System.nanoTime() > deadline) {
        return "not " + key + " within " + timeout.toMinutes() + " min" + Harness.logTail(child);
      }
      Thread.sleep(50); // the child reports through its status file; sample it
    }
    return null;
  }
}
