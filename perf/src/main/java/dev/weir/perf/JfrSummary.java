package dev.weir.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a contender's CPU time goes, from a JFR recording ({@code --profile NAME}): execution
 * samples per thread, the hottest methods by self time, and by inclusive time the hottest Weir
 * methods and frames of each layer (Weir runtime, user functions, Kafka clients, JDK).
 *
 * <p>Also runnable alone: {@code java -cp ... dev.weir.perf.JfrSummary FILE.jfr...}.
 */
public final class JfrSummary {
  private static final int TOP = 20;

  private JfrSummary() {}

  /**
   * Prints a summary of each recording named.
   *
   * @param args JFR files
   * @throws IOException when a file cannot be read
   */
  public static void main(String[] args) throws IOException {
    for (String a : args) {
      print(Path.of(a), System.out);
    }
  }

  static void printAll(Path dir, PrintStream out) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jfr")).sorted().toList()) {
        print(f, out);
      }
    } catch (IOException e) {
      out.println("JFR summary failed: " + e);
    }
  }

  /** Notes a run's measured interval, so that its summary leaves out start-up and shutdown. */
  static void writeWindow(Path dir, String name, long fromMs, long toMs) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name + ".window"), fromMs + " " + toMs);
    } catch (IOException e) {
      System.err.println("perf: could not write the JFR window of " + name + ": " + e);
    }
  }

  static void print(Path file, PrintStream out) throws IOException {
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    Path window = file.resolveSibling(file.getFileName().toString().replace(".jfr", ".window"));
    if (Files.exists(window)) {
      String[] w = Files.readString(window).trim().split(" ");
      from = Long.parseLong(w[0]);
      to = Long.parseLong(w[1]);
    }
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> weirInclusive = new HashMap<>();
    Map<String, Integer> layers = new HashMap<>();
    Map<String, Long> allocatedTypes = new HashMap<>();
    Map<String, Long> allocationSites = new HashMap<>();
    long allocated = 0;
    int total = 0;
    // The processing thread's wall clock: execution and native samples and park time, by the
    // client call (or Weir method) they are in.
    Map<String, Integer> running = new HashMap<>();
    Map<String, Integer> nativeSamples = new HashMap<>();
    Map<String, Long> parkedNs = new HashMap<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      long at = e.getStartTime().toEpochMilli();
      if (at < from || at > to) {
        continue;
      }
      String type = e.getEventType().getName();
      if (type.equals("jdk.NativeMethodSample") || type.equals("jdk.ThreadPark")) {
        String t =
            type.equals("jdk.ThreadPark")
                ? (e.getThread() == null ? "?" : e.getThread().getJavaName())
                : (e.getThread("sampledThread") == null
                    ? "?"
                    : e.getThread("sampledThread").getJavaName());
        if (processing(t) && e.getStackTrace() != null) {
          String where = entry(e.getStackTrace().getFrames());
          if (type.equals("jdk.ThreadPark")) {
            parkedNs.merge(where, e.getDuration().toNanos(), Long::sum);
          } else {
            nativeSamples.merge(where, 1, Integer::sum);
          }
        }
        continue;
      }
      if (e.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
        RecordedStackTrace st = e.getStackTrace();
        long weight = e.getLong("weight");
        allocated += weight;
        allocatedTypes.merge(e.getClass("objectClass").getName(), weight, Long::sum);
        if (st != null && !st.getFrames().isEmpty()) {
          allocationSites.merge(site(st.getFrames()), weight, Long::sum);
        }
        continue;
      }
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      total++;
      String thread =
          e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      threads.merge(threadGroup(thread), 1, Integer::sum);
      List<RecordedFrame> frames = st.getFrames();
      if (processing(thread)) {
        running.merge(entry(frames), 1, Integer::sum);
      }
      self.merge(name(frames.get(0)), 1, Integer::sum);
      layers.merge(layer(frames), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (n.startsWith("dev.weir.") && seen.add(n)) {
          weirInclusive.merge(n, 1, Integer::sum);
        }
      }
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "JFR %s: %,d execution samples%s%n",
        file.getFileName(),
        total,
        from == Long.MIN_VALUE ? "" : " in the measured interval");
    section(out, "by thread", threads, total);
    section(
        out, "by layer (innermost frame that is Weir, user code or a Kafka client)", layers, total);
    section(out, "hottest methods, self", self, total);
    wallClock(out, from, to, running, nativeSamples, parkedNs);
    section(out, "hottest Weir methods, inclusive", weirInclusive, total);
    out.printf(
        Locale.ROOT,
        "  allocation (sampled, %,.0f MB estimated in the interval), by type:%n",
        allocated / 1e6);
    bytes(out, allocatedTypes, allocated);
    out.println("  allocation by site (innermost frame outside java.*, jdk.*, sun.*):");
    bytes(out, allocationSites, allocated);
  }

  /**
   * The processing thread (a stream thread, or the raw loop's) in the measured interval: its
   * execution samples (running Java code), native samples (waiting in a system call: a poll's
   * select) and time parked (waiting for another thread: a commit for the producer's I/O thread),
   * each by the client call or Weir method it is in ({@link #entry}).
   */
  private static void wallClock(
      PrintStream out,
      long from,
      long to,
      Map<String, Integer> running,
      Map<String, Integer> nativeSamples,
      Map<String, Long> parkedNs) {
    int r = running.values().stream().mapToInt(Integer::intValue).sum();
    int n = nativeSamples.values().stream().mapToInt(Integer::intValue).sum();
    long p = parkedNs.values().stream().mapToLong(Long::longValue).sum();
    out.printf(
        Locale.ROOT,
        "  processing thread, wall clock%s: %,d execution samples, %,d native samples, parked %,.0f"
            + " ms%n",
        from == Long.MIN_VALUE ? "" : String.format(Locale.ROOT, " (interval %,d ms)", to - from),
        r,
        n,
        p / 1e6);
    section(out, "  running, by call", running, r);
    section(out, "  in native code, by call", nativeSamples, n);
    out.println("    parked, by call:");
    parkedNs.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(TOP)
        .forEach(
            e -> out.printf(Locale.ROOT, "      %,8.1f ms  %s%n", e.getValue() / 1e6, e.getKey()));
  }

  /** Whether a thread is a contender's processing thread: a stream thread or the raw loop. */
  private static boolean processing(String thread) {
    return thread.contains("StreamThread") || thread.equals("raw-loop");
  }

  /**
   * The call a processing thread's stack is in: the outermost Kafka client frame (the client call
   * the application made: {@code KafkaProducer.commitTransaction}, {@code KafkaConsumer.poll}), or
   * else the innermost Weir or harness frame.
   */
  private static String entry(List<RecordedFrame> frames) {
    for (int i = frames.size() - 1; i >= 0; i--) {
      if (frames.get(i).getMethod().getType().getName().startsWith("org.apache.kafka.clients.")) {
        return name(frames.get(i));
      }
    }
    for (RecordedFrame f : frames) {
      if (f.getMethod().getType().getName().startsWith("dev.weir.")) {
        return name(f);
      }
    }
    return name(frames.get(0));
  }

  private static void bytes(PrintStream out, Map<String, Long> m, long total) {
    m.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(TOP)
        .forEach(
            e ->
                out.printf(
                    Locale.ROOT,
                    "    %5.1f%%  %,8.1f MB  %s%n",
                    100.0 * e.getValue() / Math.max(1, total),
                    e.getValue() / 1e6,
                    e.getKey()));
  }

  /**
   * Where an allocation happened: the innermost frame outside the JDK, with its caller, so that
   * {@code new String} in a deserializer and in a parser count apart.
   */
  private static String site(List<RecordedFrame> frames) {
    for (int i = 0; i < frames.size(); i++) {
      String type = frames.get(i).getMethod().getType().getName();
      if (!(type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun."))) {
        String caller = i + 1 < frames.size() ? " <- " + name(frames.get(i + 1)) : "";
        return name(frames.get(i)) + ":" + frames.get(i).getLineNumber() + caller;
      }
    }
    return name(frames.get(0));
  }

  private static void section(PrintStream out, String title, Map<String, Integer> m, int total) {
    out.println("  " + title + ":");
    m.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .limit(TOP)
        .forEach(
            e ->
                out.printf(
                    Locale.ROOT,
                    "    %5.1f%%  %s%n",
                    100.0 * e.getValue() / Math.max(1, total),
                    e.getKey()));
  }

  private static String name(RecordedFrame f) {
    return lambdaless(f.getMethod().getType().getName()) + "." + f.getMethod().getName();
  }

  /** {@code Foo$$Lambda$447+0x00007f...} to {@code Foo$$Lambda}, so that runs compare. */
  private static String lambdaless(String type) {
    int i = type.indexOf("$$Lambda");
    return i < 0 ? type : type.substring(0, i + 8);
  }

  /** Thread names with their numbers removed, so threads of one kind add up. */
  private static String threadGroup(String name) {
    return name.replaceAll("[0-9]+", "N");
  }

  /** The layer a sample belongs to: the innermost frame that is not JDK or a library helper. */
  private static String layer(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String type = f.getMethod().getType().getName();
      if (type.startsWith("dev.weir.perf.")) {
        return "user functions (dev.weir.perf: parse/filter/enrich)";
      }
      if (type.startsWith("dev.weir.internal.")) {
        return "Weir runtime (" + packageOf(lambdaless(type)) + ")";
      }
      if (type.startsWith("dev.weir.testkit.")) {
        return "harness (dev.weir.testkit)";
      }
      if (type.startsWith("dev.weir.")) {
        return "Weir API (" + packageOf(type) + ")";
      }
      if (type.startsWith("org.apache.kafka.streams.")) {
        return "Kafka Streams (" + packageOf(type) + ")";
      }
      if (type.startsWith("org.apache.kafka.clients.producer")) {
        return "Kafka producer";
      }
      if (type.startsWith("org.apache.kafka.clients.consumer")) {
        return "Kafka consumer";
      }
      if (type.startsWith("org.apache.kafka.")) {
        return "Kafka common (" + packageOf(type) + ")";
      }
      if (type.startsWith("org.rocksdb.")) {
        return "RocksDB";
      }
    }
    return "JDK/other ("
        + packageOf(frames.get(frames.size() - 1).getMethod().getType().getName())
        + ")";
  }

  private static String packageOf(String type) {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(0, dot);
  }
}
