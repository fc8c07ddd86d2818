package dev.weir.perf.latency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reader's side of {@link Stamps}: sums of the stamped parts over every measured record, and
 * every record at least {@code slowMs} late kept whole, so that after the run the slow ones can be
 * split at their transaction's commit (whose times the producers logged) and set beside the
 * broker's collector pauses.
 */
final class Breakdown {
  private static final int KEEP = 2_000_000;
  private static final String[] PARTS = {
    "input→poll", "poll→send", "send→commit-start", "commit", "commit-end→seen"
  };

  private final long slowMs;
  private final List<long[]> slow = new ArrayList<>();
  private long stamped;
  private long unstamped;
  private long sumToPoll;
  private long sumToSend;
  private long sumToSeen;
  private long maxToPoll;
  private long maxToSend;

  Breakdown(long slowMs) {
    this.slowMs = slowMs;
  }

  /**
   * One measured output record; reader thread only.
   *
   * @param ts the record's timestamp (the input's)
   * @param seen when the reader got it
   * @param stamp {@link Stamps#decode}, or null
   */
  void add(long ts, long seen, long[] stamp) {
    if (stamp == null || stamp[0] == 0) {
      unstamped++;
      return;
    }
    stamped++;
    long toPoll = stamp[0] - ts;
    long toSend = stamp[1] - stamp[0];
    sumToPoll += toPoll;
    sumToSend += toSend;
    sumToSeen += seen - stamp[1];
    maxToPoll = Math.max(maxToPoll, toPoll);
    maxToSend = Math.max(maxToSend, toSend);
    if (seen - ts >= slowMs && slow.size() < KEEP) {
      slow.add(new long[] {ts, seen, stamp[0], stamp[1], stamp[2], stamp[3]});
    }
  }

  /** Prints the summary and the slowest records' parts; after the reader has stopped. */
  void print(Stamps stamps, List<long[]> brokerPauses, Sampler sampler, long measureFrom) {
    if (stamped == 0) {
      System.out.println(
          "commit-latency breakdown: no stamped output (" + unstamped + " unstamped)");
      return;
    }
    System.out.printf(
        Locale.ROOT,
        "commit-latency breakdown, all %d stamped records (means): input→poll %.1f ms,"
            + " poll→send %.1f ms, send→seen %.1f ms; max input→poll %d ms, max poll→send %d ms;"
            + " unstamped %d%n",
        stamped,
        sumToPoll / (double) stamped,
        sumToSend / (double) stamped,
        sumToSeen / (double) stamped,
        maxToPoll,
        maxToSend,
        unstamped);
    List<long[]> parts = new ArrayList<>();
    for (long[] r : slow) {
      long[] c = stamps.commit((int) r[4], (int) r[5]);
      if (c == null) {
        continue;
      }
      // ts, seen, the five parts, producer, commit, commit start
      parts.add(
          new long[] {
            r[0],
            r[1],
            r[2] - r[0],
            r[3] - r[2],
            c[0] - r[3],
            c[1] - c[0],
            r[1] - c[1],
            r[4],
            r[5],
            c[0]
          });
    }
    if (parts.isEmpty()) {
      System.out.println("commit-latency breakdown: no record at least " + slowMs + " ms late");
      return;
    }
    double[] mean = new double[PARTS.length];
    long[] dominant = new long[PARTS.length];
    for (long[] p : parts) {
      int top = 0;
      for (int i = 0; i < PARTS.length; i++) {
        mean[i] += p[2 + i] / (double) parts.size();
        if (p[2 + i] > p[2 + top]) {
          top = i;
        }
      }
      dominant[top]++;
    }
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "commit-latency breakdown, %d records at least %d ms late (mean ms; how many had"
                    + " it as their largest part):",
                parts.size(),
                slowMs));
    for (int i = 0; i < PARTS.length; i++) {
      line.append(String.format(Locale.ROOT, " %s %.1f (%d)", PARTS[i], mean[i], dominant[i]));
    }
    System.out.println(line);
    parts.sort(Comparator.comparingLong((long[] p) -> p[0] - p[1]));
    Set<Long> commitsShown = new HashSet<>();
    int shown = 0;
    for (long[] p : parts) {
      if (shown == 10) {
        break;
      }
      if (!commitsShown.add(p[7] << 32 | p[8])) {
        continue; // one line per transaction: its slowest record
      }
      shown++;
      System.out.printf(
          Locale.ROOT,
          "commit-latency slow record: latency %d ms, input at %.1f s = input→poll %d + poll→send %d +"
              + " send→commit-start %d + commit %d + commit-end→seen %d (producer %d commit %d)%s;"
              + " meanwhile %s%n",
          p[1] - p[0],
          (p[0] - measureFrom) / 1000.0,
          p[2],
          p[3],
          p[4],
          p[5],
          p[6],
          p[7],
          p[8],
          overlapping(brokerPauses, p[0], p[1]),
          sampler.over(p[0], p[1]));
    }
    long[] worst = parts.get(0);
    System.out.println(
        "commit-latency the slowest record's wait, from 500 ms before its input:"
            + sampler.timeline(worst[0] - 500, worst[1], 250));
  }

  private static String overlapping(List<long[]> pauses, long from, long to) {
    long total = 0;
    long longest = 0;
    for (long[] pause : pauses) {
      long start = pause[0] - pause[1];
      if (pause[0] >= from && start <= to) {
        total += pause[1];
        longest = Math.max(longest, pause[1]);
      }
    }
    return total == 0
        ? ""
        : String.format(
            Locale.ROOT, "; broker GC pauses meanwhile %d ms (longest %d)", total, longest);
  }

  private static final Pattern GC_LINE =
      Pattern.compile("^\\[(\\d+)ms\\].*\\bPause\\b.*?([0-9]+\\.[0-9]+)ms\\s*$");

  /**
   * The collector pauses in a log written with {@code -Xlog:gc:file=<f>:timemillis}: {@code {end
   * (epoch ms), duration (ms, rounded up)}} per pause, in order.
   */
  static List<long[]> gcPauses(Path log) throws IOException {
    List<long[]> pauses = new ArrayList<>();
    if (!Files.exists(log)) {
      return pauses;
    }
    for (String l : Files.readAllLines(log)) {
      Matcher m = GC_LINE.matcher(l);
      if (m.matches()) {
        pauses.add(
            new long[] {
              Long.parseLong(m.group(1)), (long) Math.ceil(Double.parseDouble(m.group(2)))
            });
      }
    }
    return pauses;
  }

  /** Count, total and longest of the pauses that ended in {@code [from, to]}. */
  static String summary(List<long[]> pauses, long from, long to) {
    long n = 0;
    long total = 0;
    long longest = 0;
    long over50 = 0;
    for (long[] p : pauses) {
      if (p[0] >= from && p[0] <= to) {
        n++;
        total += p[1];
        longest = Math.max(longest, p[1]);
        if (p[1] >= 50) {
          over50++;
        }
      }
    }
    return String.format(
        Locale.ROOT,
        "%d pauses, %d ms in all, longest %d ms, %d of at least 50 ms",
        n,
        total,
        longest,
        over50);
  }
}
