package dev.weir.perf.latency;

import dev.weir.perf.ProcStats;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Every {@value #STEP_MS} ms: the machine's CPU (from {@code /proc/stat}: busy at normal priority,
 * busy at a lowered priority such as the other engineers' {@code nice 19} builds, idle), the stream
 * thread's CPU, the broker's, and the application consumer's lag (the sum of its partitions' {@code
 * records-lag}). So a slow record's wait can be set beside what the machine did meanwhile: a stream
 * thread that polls regularly but holds a growing lag while the machine has no idle CPU is starved,
 * not stalled.
 */
final class Sampler extends Thread {
  static final int STEP_MS = 100;
  private static final int MAX = 20_000;

  private final long brokerPid;
  private final String threadName;
  private final List<Consumer<byte[], byte[]>> consumers;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private volatile boolean running = true;

  // per sample: time, busy jiffies, nice jiffies, total jiffies, thread ns, broker ns, lag
  private final long[][] samples = new long[MAX][];
  private volatile int size;

  Sampler(long brokerPid, String threadNamePrefix, List<Consumer<byte[], byte[]>> consumers) {
    super("latency-sampler");
    setDaemon(true);
    this.brokerPid = brokerPid;
    this.threadName = threadNamePrefix;
    this.consumers = consumers;
  }

  @Override
  public void run() {
    long threadId = -1;
    while (running && size < MAX) {
      if (threadId < 0) {
        threadId = findThread();
      }
      long[] cpu = procStat();
      samples[size] =
          new long[] {
            System.currentTimeMillis(),
            cpu[0],
            cpu[1],
            cpu[2],
            threadId < 0 ? -1 : threads.getThreadCpuTime(threadId),
            ProcStats.cpuNanos(brokerPid),
            lag()
          };
      size++;
      try {
        Thread.sleep(STEP_MS); // the sampling period, not a wait for a condition
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Every live thread's CPU time so far, by id: {@code {name, nanos}}. */
  Map<Long, Object[]> threadCpu() {
    Map<Long, Object[]> m = new java.util.HashMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long ns = threads.getThreadCpuTime(t.getId());
      if (ns >= 0) {
        m.put(t.getId(), new Object[] {t.getName(), ns});
      }
    }
    return m;
  }

  /** The {@code n} threads of this JVM that used the most CPU between two {@link #threadCpu}s. */
  static String topThreads(Map<Long, Object[]> before, Map<Long, Object[]> after, long ms, int n) {
    return after.entrySet().stream()
        .map(
            e -> {
              Object[] b = before.get(e.getKey());
              long used = (long) e.getValue()[1] - (b == null ? 0 : (long) b[1]);
              return new Object[] {e.getValue()[0], used};
            })
        .sorted((x, y) -> Long.compare((long) y[1], (long) x[1]))
        .limit(n)
        .map(x -> String.format(Locale.ROOT, "%s %.0f%%", x[0], (long) x[1] / 1e4 / ms))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * A process's CPU time so far per thread name (Linux: {@code /proc/<pid>/task/<tid>/stat}, the
   * kernel's 15-character thread name with trailing digits dropped, so that e.g. all of Kafka's
   * request handlers add up), in jiffies.
   */
  static Map<String, Long> processThreads(long pid) {
    Map<String, Long> m = new java.util.HashMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path t : (Iterable<Path>) tasks::iterator) {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name =
              stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                  .replaceAll("[-_ ]?[0-9]+$", "");
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          m.merge(name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        } catch (java.io.IOException | RuntimeException e) {
          // the thread ended meanwhile
        }
      }
    } catch (java.io.IOException e) {
      return m;
    }
    return m;
  }

  /** The {@code n} thread names that used the most CPU between two {@link #processThreads}s. */
  static String topProcessThreads(
      Map<String, Long> before, Map<String, Long> after, long ms, int n) {
    return after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
        .sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
        .limit(n)
        .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), e.getValue() * 1000.0 / ms))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  void finish() throws InterruptedException {
    running = false;
    join();
  }

  private long findThread() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(threadName)) {
        return t.getId();
      }
    }
    return -1;
  }

  private long lag() {
    long sum = 0;
    boolean any = false;
    try {
      for (Consumer<byte[], byte[]> c : consumers) {
        for (Map.Entry<MetricName, ? extends Metric> e : c.metrics().entrySet()) {
          if (e.getKey().name().equals("records-lag")
              && e.getValue().metricValue() instanceof Double d
              && !d.isNaN()) {
            sum += d.longValue();
            any = true;
          }
        }
      }
    } catch (RuntimeException e) {
      return -1; // the consumer's metrics map changed under us (an assignment)
    }
    return any ? sum : -1;
  }

  /** {busy at nice 0 or less, busy niced, total}, in jiffies since boot. */
  private static long[] procStat() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      long[] f =
          Arrays.stream(first.trim().split("\\s+")).skip(1).mapToLong(Long::parseLong).toArray();
      // user nice system idle iowait irq softirq steal
      long total = 0;
      for (int i = 0; i < Math.min(8, f.length); i++) {
        total += f[i];
      }
      long busy = f[0] + f[2] + f[5] + f[6] + (f.length > 7 ? f[7] : 0);
      return new long[] {busy, f[1], total};
    } catch (Exception e) {
      return new long[] {-1, -1, -1};
    }
  }

  /**
   * The machine and the stream thread over {@code [from, to]}: the machine's CPU busy at normal
   * priority and niced (percent of all cores), the stream thread's and the broker's CPU (percent of
   * one core), and the highest lag sampled.
   */
  String over(long from, long to) {
    int n = size;
    int a = -1;
    int b = -1;
    long maxLag = -1;
    for (int i = 0; i < n; i++) {
      if (samples[i][0] <= from) {
        a = i;
      }
      if (samples[i][0] >= from && samples[i][0] <= to) {
        maxLag = Math.max(maxLag, samples[i][6]);
      }
      if (b < 0 && samples[i][0] >= to) {
        b = i;
      }
    }
    if (a < 0 || b < 0 || b <= a) {
      return "no samples";
    }
    long[] s = samples[a];
    long[] e = samples[b];
    double total = e[3] - s[3];
    double ms = e[0] - s[0];
    return String.format(
        Locale.ROOT,
        "machine busy %.0f%% + niced %.0f%%, stream thread %.0f%% of a core, broker %.0f%% of a"
            + " core, lag up to %d",
        100 * (e[1] - s[1]) / total,
        100 * (e[2] - s[2]) / total,
        s[4] < 0 || e[4] < 0 ? -1.0 : (e[4] - s[4]) / 1e4 / ms,
        s[5] < 0 || e[5] < 0 ? -1.0 : (e[5] - s[5]) / 1e4 / ms,
        maxLag);
  }

  /** The samples' rows from {@code from} to {@code to}, merged to {@code stepMs}. */
  String timeline(long from, long to, long stepMs) {
    StringBuilder out = new StringBuilder();
    for (long t = from; t < to; t += stepMs) {
      out.append(String.format(Locale.ROOT, "%n  +%d ms: %s", t - from, over(t, t + stepMs)));
    }
    return out.toString();
  }
}
