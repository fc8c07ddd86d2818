package dev.weir.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the committed output with the output the workload must produce, computed from the seed
 * alone (never by running Weir). Fed one output record at a time, in any order across partitions.
 *
 * <p>A record is <em>lost</em> when no output carries its sequence number, <em>duplicated</em> when
 * more than one does, and an output is <em>wrong</em> when its key or value differs from the
 * expected one for its sequence number (or does not parse).
 *
 * <p><b>Threading:</b> {@link #accept} and {@link #verdict} are synchronized; {@link #distinct()}
 * may be read from any thread to follow progress.
 */
public final class Verifier implements OutputCheck {
  private static final int EXAMPLES = 10;

  private final Workload workload;
  private final ChaosPipeline.Kind kind;
  private final int[] runningCounts;
  private final int[] seen;
  private final long[] firstPosition;
  private final List<String> duplicateExamples = new ArrayList<>();
  private final List<String> wrongExamples = new ArrayList<>();
  private volatile int distinct;
  private long outputs;
  private long wrong;

  /**
   * Creates a verifier for one run.
   *
   * @param workload the input the run wrote
   * @param kind the pipeline that ran
   */
  public Verifier(Workload workload, ChaosPipeline.Kind kind) {
    this.workload = workload;
    this.kind = kind;
    this.runningCounts = workload.runningCounts();
    this.seen = new int[workload.records()];
    this.firstPosition = new long[workload.records()];
  }

  /** Number of distinct input records seen in the output so far: the run's progress. */
  @Override
  public int distinct() {
    return distinct;
  }

  @Override
  public int expected() {
    return seen.length;
  }

  /**
   * Takes one committed output record.
   *
   * @param partition its output partition
   * @param offset its offset
   * @param key its key, possibly null
   * @param value its value, possibly null
   */
  @Override
  public synchronized void accept(int partition, long offset, String key, String value) {
    if (key != null && key.startsWith("~")) {
      return; // an end-of-input sentinel, see Workload.sentinelKey
    }
    outputs++;
    int seq = parseSeq(value);
    if (seq < 0) {
      wrong(partition, offset, "unparsable or unknown record " + quote(key) + "=" + quote(value));
      return;
    }
    int n = ++seen[seq];
    if (n == 1) {
      firstPosition[seq] = ((long) partition << 48) | offset;
      distinct++;
    } else if (duplicateExamples.size() < EXAMPLES) {
      duplicateExamples.add(
          "seq "
              + seq
              + " ("
              + workload.key(seq)
              + ") again at "
              + position(partition, offset)
              + ", first at "
              + position(
                  (int) (firstPosition[seq] >>> 48), firstPosition[seq] & 0xFFFF_FFFF_FFFFL));
    }
    String expected = kind.expected(workload, seq, runningCounts[seq]);
    if (!expected.equals(value) || !workload.key(seq).equals(key)) {
      wrong(
          partition,
          offset,
          "got "
              + quote(key)
              + "="
              + quote(value)
              + ", expected "
              + quote(workload.key(seq))
              + "="
              + quote(expected));
    }
  }

  private void wrong(int partition, long offset, String what) {
    wrong++;
    if (wrongExamples.size() < EXAMPLES) {
      wrongExamples.add(position(partition, offset) + ": " + what);
    }
  }

  private int parseSeq(String value) {
    if (value == null) {
      return -1;
    }
    int a = value.indexOf(':');
    if (a < 0) {
      return -1;
    }
    int b = value.indexOf(':', a + 1);
    try {
      long seq = Long.parseLong(value.substring(a + 1, b < 0 ? value.length() : b));
      return seq >= 0 && seq < seen.length ? (int) seq : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Compares everything accepted so far with the expectation.
   *
   * @return the verdict with counts and the first examples of each kind of error
   */
  @Override
  public synchronized Verdict verdict() {
    long lost = 0;
    long duplicated = 0;
    List<Integer> firstLost = new ArrayList<>();
    Map<String, Integer> lostByKey = new TreeMap<>();
    for (int seq = 0; seq < seen.length; seq++) {
      if (seen[seq] == 0) {
        lost++;
        if (firstLost.size() < EXAMPLES) {
          firstLost.add(seq);
        }
        lostByKey.merge(workload.key(seq), 1, Integer::sum);
      } else if (seen[seq] > 1) {
        duplicated++;
      }
    }
    StringBuilder details = new StringBuilder();
    section(
        details,
        lost,
        "lost",
        "records of "
            + lostByKey.size()
            + " keys; first lost seqs "
            + firstLost
            + "; lost per key (first keys) "
            + firstEntries(lostByKey));
    section(
        details,
        duplicated,
        "duplicated",
        "records; first duplicates: " + String.join("; ", duplicateExamples));
    section(details, wrong, "wrong", "outputs; first: " + String.join("; ", wrongExamples));
    return new Verdict(seen.length, outputs, lost, duplicated, wrong, details.toString().trim());
  }

  /** Appends {@code "<what> <n> <rest>"} as a line when {@code n > 0}. */
  static void section(StringBuilder details, long n, String what, String rest) {
    if (n > 0) {
      details.append(what).append(' ').append(n).append(' ').append(rest).append('\n');
    }
  }

  private static String firstEntries(Map<String, Integer> map) {
    StringBuilder s = new StringBuilder("{");
    int i = 0;
    for (Map.Entry<String, Integer> e : map.entrySet()) {
      if (i++ == EXAMPLES) {
        s.append(", ...");
        break;
      }
      s.append(i > 1 ? ", " : "").append(e.getKey()).append('=').append(e.getValue());
    }
    return s.append('}').toString();
  }

  private static String position(int partition, long offset) {
    return "partition " + partition + " offset " + offset;
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  /**
   * The outcome of a run.
   *
   * @param records input records written
   * @param outputs committed output records read
   * @param lost input records without output
   * @param duplicated input records with more than one output
   * @param wrong outputs with a wrong key or value
   * @param details what went wrong, with the first examples; empty when nothing did
   */
  public record Verdict(
      long records, long outputs, long lost, long duplicated, long wrong, String details) {
    /** True when nothing was lost, duplicated or wrong. */
    public boolean ok() {
      return lost == 0 && duplicated == 0 && wrong == 0;
    }

    /**
     * Adds another check's counts: its lost, duplicated and wrong outputs add to these, its records
     * do not (they are the same input).
     */
    public Verdict plus(Verdict other) {
      String both =
          details.isEmpty()
              ? other.details
              : other.details.isEmpty() ? details : details + "\n" + other.details;
      return new Verdict(
          records,
          outputs + other.outputs,
          lost + other.lost,
          duplicated + other.duplicated,
          wrong + other.wrong,
          both);
    }

    /** {@code records=N lost=L duplicated=D wrong=W}. */
    public String summary() {
      return "records="
          + records
          + " lost="
          + lost
          + " duplicated="
          + duplicated
          + " wrong="
          + wrong;
    }
  }
}
