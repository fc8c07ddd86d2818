package dev.weir.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the window results of {@link ChaosPipeline.Kind#COUNT_AND_WINDOWS}: one result {@code
 * "key:windowStart:count"} per key and tumbling window holding records of that key, with the number
 * of those records, computed from the seed and the run's base time alone.
 *
 * <p>A window with records but no result is <em>lost</em>, one with several results is
 * <em>duplicated</em>, and a result with a wrong count, for a window without records, or that does
 * not parse is <em>wrong</em>.
 *
 * <p><b>Threading:</b> as {@link Verifier}.
 */
final class WindowVerifier implements OutputCheck {
  private static final int EXAMPLES = 10;

  private final Workload workload;
  private final long windowMs;
  private final long firstWindow;
  private final int windows;
  private final int[] expectedCount;
  private final int[] seen;
  private final int expectedWindows;
  private final List<String> duplicateExamples = new ArrayList<>();
  private final List<String> wrongExamples = new ArrayList<>();
  private volatile int distinct;
  private long outputs;
  private long wrong;

  /**
   * @param workload the input
   * @param baseTime the run's base time: record {@code seq} has event time {@code baseTime +
   *     workload.eventTimeOffsetMs(seq)}
   * @param windowMs the tumbling window size
   */
  WindowVerifier(Workload workload, long baseTime, long windowMs) {
    this.workload = workload;
    this.windowMs = windowMs;
    this.firstWindow = Math.floorDiv(baseTime, windowMs);
    this.windows =
        (int)
            (Math.floorDiv(baseTime + workload.maxEventTimeOffsetMs(), windowMs) - firstWindow + 1);
    this.expectedCount = new int[windows * workload.keys()];
    this.seen = new int[expectedCount.length];
    int nonEmpty = 0;
    for (int seq = 0; seq < workload.records(); seq++) {
      long w = Math.floorDiv(baseTime + workload.eventTimeOffsetMs(seq), windowMs) - firstWindow;
      if (expectedCount[(int) w * workload.keys() + workload.keyIndex(seq)]++ == 0) {
        nonEmpty++;
      }
    }
    this.expectedWindows = nonEmpty;
  }

  @Override
  public int distinct() {
    return distinct;
  }

  @Override
  public int expected() {
    return expectedWindows;
  }

  @Override
  public synchronized void accept(int partition, long offset, String key, String value) {
    if (key != null && key.startsWith("~")) {
      return;
    }
    outputs++;
    String[] parts = value == null ? new String[0] : value.split(":");
    int keyIndex = -1;
    long start = -1;
    long count = -1;
    if (parts.length == 3 && parts[0].startsWith("k") && parts[0].equals(key)) {
      try {
        keyIndex = Integer.parseInt(parts[0].substring(1));
        start = Long.parseLong(parts[1]);
        count = Long.parseLong(parts[2]);
      } catch (NumberFormatException e) {
        keyIndex = -1;
      }
    }
    long w = start < 0 ? -1 : Math.floorDiv(start, windowMs) - firstWindow;
    if (keyIndex < 0
        || keyIndex >= workload.keys()
        || start % windowMs != 0
        || w < 0
        || w >= windows) {
      wrong(partition, offset, "unparsable or unknown window result '" + key + "'='" + value + "'");
      return;
    }
    int slot = (int) w * workload.keys() + keyIndex;
    int n = ++seen[slot];
    if (n == 1 && expectedCount[slot] > 0) {
      distinct++;
    } else if (n == 2 && duplicateExamples.size() < EXAMPLES) {
      duplicateExamples.add(
          "window " + key + "@" + start + " again at partition " + partition + " offset " + offset);
    }
    if (count != expectedCount[slot]) {
      wrong(
          partition,
          offset,
          "window "
              + key
              + "@"
              + start
              + " counted "
              + count
              + ", expected "
              + expectedCount[slot]);
    }
  }

  private void wrong(int partition, long offset, String what) {
    wrong++;
    if (wrongExamples.size() < EXAMPLES) {
      wrongExamples.add("partition " + partition + " offset " + offset + ": " + what);
    }
  }

  @Override
  public synchronized Verifier.Verdict verdict() {
    long lost = 0;
    long duplicated = 0;
    List<String> firstLost = new ArrayList<>();
    for (int slot = 0; slot < seen.length; slot++) {
      if (expectedCount[slot] > 0 && seen[slot] == 0) {
        lost++;
        if (firstLost.size() < EXAMPLES) {
          long start = (firstWindow + slot / workload.keys()) * windowMs;
          firstLost.add(Workload.keyName(slot % workload.keys()) + "@" + start);
        }
      } else if (seen[slot] > 1) {
        duplicated++;
      }
    }
    StringBuilder details = new StringBuilder();
    Verifier.section(
        details, lost, "lost", "of " + expectedWindows + " window results; first: " + firstLost);
    Verifier.section(
        details,
        duplicated,
        "duplicated",
        "window results; first: " + String.join("; ", duplicateExamples));
    Verifier.section(
        details, wrong, "wrong", "window results; first: " + String.join("; ", wrongExamples));
    return new Verifier.Verdict(
        workload.records(), outputs, lost, duplicated, wrong, details.toString().trim());
  }
}
