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
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs W4 and W5 on a keyed input of {@code --records} distinct keys (about 100-byte values),
 * loaded once. Each contender (per mode) consumes it once under its application id, which fills its
 * changelog ({@code load} phase, not timed). Then, alternating contenders over the rounds, each run
 * starts the contender again; the contender reports the time from start until its state is restored
 * and it is running (ready), the records restored and the CPU used.
 *
 * <ul>
 *   <li>W4, restore: every run starts on an emptied state directory. Once ready, the contender
 *       counts the entries of its store, which must equal the number of keys, and is stopped
 *       gracefully.
 *   <li>W5, recover after a crash: the load phase ends in a {@code kill -9} once the input is
 *       committed, and so does every run but the last, each starting on the state directory the
 *       previous kill left. A run passes when the contender got ready having restored at most one
 *       changelog record per key; the last run is then stopped gracefully, and its store must hold
 *       every key.
 * </ul>
 */
final class RestoreRunner {
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration RESTORE_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final Harness h;
  private final Workload w;

  RestoreRunner(Harness harness, Workload workload) {
    if (!workload.restores()) {
      throw new IllegalArgumentException(workload + " is not a restore workload");
    }
    this.h = harness;
    this.w = workload;
  }

  List<RunResult> run() throws InterruptedException {
    List<String> contenders = new ArrayList<>(h.options.contendersOf(w));
    if (Contenders.weirMissing(w) != null) {
      contenders.remove(Contenders.WEIR);
    }
    List<RunResult> results = new ArrayList<>();
    if (contenders.isEmpty()) {
      return results;
    }
    String input = (h.prefix() + "-" + w + "-input").toLowerCase(Locale.ROOT);
    h.topics.create(h.options.partitions(), input);
    int keys = h.options.records();
    loadKeyed(input, keys);
    Map<String, String> loaded = new LinkedHashMap<>(); // appId -> failure or null
    try {
      for (Mode mode : h.options.modes()) {
        for (String c : contenders) {
          String appId = appId(c, mode);
          loaded.put(appId, load(c, mode, input, appId));
        }
      }
      for (int round = 1; round <= h.options.rounds(); round++) {
        for (Mode mode : h.options.modes()) {
          for (String c : contenders) {
            String appId = appId(c, mode);
            RunResult r =
                loaded.get(appId) != null
                    ? RunResult.failed(w, c, mode, round, "load failed: " + loaded.get(appId))
                    : measure(c, mode, round, input, appId, keys);
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
    return (h.prefix() + "-" + w + "-" + contender + "-" + mode.label()).toLowerCase(Locale.ROOT);
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
  private String load(String c, Mode mode, String input, String appId) throws InterruptedException {
    ContenderSpec spec = h.spec(w, c, mode, "load", List.of(input), "-", appId);
    long begin = System.nanoTime();
    try (JavaProcess child = h.launch(spec, appId + "-load")) {
      String problem = await(child, spec, "loaded", LOAD_TIMEOUT);
      if (problem != null) {
        return problem;
      }
      double seconds = (System.nanoTime() - begin) / 1e9;
      if (crashes()) {
        problem = crash(child, spec);
        if (problem != null) {
          return problem;
        }
      } else {
        child.stop(STOP_GRACE);
      }
      h.out.printf(
          Locale.ROOT,
          "  %s %s: changelog filled in %.1f s%s%n",
          c,
          mode.label(),
          seconds,
          crashes() ? ", then killed (kill -9)" : "");
      return null;
    } catch (IOException e) {
      return "launching the JVM failed: " + e;
    }
  }

  private boolean crashes() {
    return w == Workload.W5;
  }

  /**
   * One restart: W4 on an emptied state directory, W5 on the one the last {@code kill -9} left (and
   * ending in another, except in the last round).
   */
  private RunResult measure(String c, Mode mode, int round, String input, String appId, int keys)
      throws InterruptedException {
    String phase = crashes() ? "recover" : "restore";
    boolean countEntries = !crashes() || round == h.options.rounds();
    ContenderSpec spec = h.spec(w, c, mode, phase, List.of(input), "-", appId);
    if (!crashes()) {
      Harness.deleteTree(spec.stateDir());
    }
    long launched = System.nanoTime();
    try (JavaProcess child = h.launch(spec, appId + "-" + phase + "-r" + round)) {
      String problem = await(child, spec, "restored", RESTORE_TIMEOUT);
      if (problem != null) {
        if (crashes()) {
          crash(child, spec); // the next round still recovers from a crash
        }
        return RunResult.failed(w, c, mode, round, problem);
      }
      double wall = (System.nanoTime() - launched) / 1e9;
      long rss = ProcStats.peakRssBytes(child.pid());
      Map<String, String> s = StatusFile.read(spec.statusFile());
      double seconds = Math.max(1e-3, Long.parseLong(s.get("restoreMs")) / 1000.0);
      if (s.containsKey("beforeStartMs")) {
        // The ready time counts from the contender's start(), before the application is
        // constructed; this part is the construction (Kafka Streams creates its clients there).
        h.out.printf(
            Locale.ROOT,
            "  [%s %s r%d] %s: %.2f s of the ready time before the library's start()%n",
            w,
            mode.label(),
            round,
            c,
            Long.parseLong(s.get("beforeStartMs")) / 1000.0);
      }
      long restored = Long.parseLong(s.get("restoredRecords"));
      OptionalLong entries = OptionalLong.empty();
      if (countEntries) {
        // W4 counted when ready; W5 counts in the shutdown hook, after the measurement.
        child.stop(STOP_GRACE);
        s = StatusFile.read(spec.statusFile());
        if (!s.containsKey("storeEntries")) {
          return RunResult.failed(
              w, c, mode, round, "the store was not counted: " + s.get("closeFailed"));
        }
        entries = OptionalLong.of(Long.parseLong(s.get("storeEntries")));
      } else {
        problem = crash(child, spec);
        if (problem != null) {
          return RunResult.failed(w, c, mode, round, problem);
        }
      }
      OutputChecker.Verdict check =
          crashes()
              ? RestoreCheck.recovered(keys, restored, entries)
              : RestoreCheck.restored(keys, restored, entries.orElse(-1));
      return new RunResult(
          w,
          c,
          mode,
          round,
          check.ok(),
          check.summary(),
          restored,
          restored / seconds,
          seconds,
          wall,
          Long.parseLong(s.get("cpuMs")) / 1000.0,
          -1,
          -1,
          rss,
          new long[0]);
    } catch (IOException e) {
      return RunResult.failed(w, c, mode, round, "launching the JVM failed: " + e);
    }
  }

  /**
   * {@code kill -9} of a contender, so no shutdown hook runs and its state directory is left as a
   * crash leaves it; then removes the dead member from the group (see {@link
   * Topics#removeMembers}). Returns null, or what was wrong with the contender before the kill (it
   * had failed or exited).
   */
  private String crash(JavaProcess child, ContenderSpec spec) throws InterruptedException {
    String problem = Harness.problem(child, spec.statusFile());
    child.kill();
    try {
      h.topics.removeMembers(spec.appId());
    } catch (IllegalStateException e) {
      return e.getMessage() + ": " + e.getCause();
    }
    return problem == null ? null : "not running normally when killed: " + problem;
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
