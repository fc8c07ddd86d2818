package dev.weir.perf;

/**
 * Checks a workload's output record by record while it arrives, and judges it at the end. Called
 * from one thread.
 */
interface OutputChecker {
  /** Returned by {@link #accept} for an output that is not a latency probe. */
  long NOT_A_PROBE = -1;

  /**
   * Takes one output record.
   *
   * @return the probe's index for a latency probe's output, else {@link #NOT_A_PROBE}
   */
  long accept(byte[] key, byte[] value);

  /** Whether every expected output of the data set (probes aside) has been seen. */
  boolean complete();

  /** Distinct expected outputs seen so far. */
  long seen();

  /** Outputs the data set must produce. */
  long expected();

  /**
   * The verdict once the output has been read to its end.
   *
   * @param exactlyOnce whether duplicates are failures
   * @param probes latency probes written (each must appear once)
   */
  Verdict verdict(boolean exactlyOnce, int probes);

  /** The outcome of a check; {@code summary} is one line for the report. */
  record Verdict(boolean ok, String summary) {}

  /** Counts shared by the checkers, and the common verdict. */
  abstract class Base implements OutputChecker {
    long seen;
    long duplicates;
    long wrong;
    long probesSeen;
    long probeDuplicates;
    String firstWrong;

    void wrong(String what) {
      wrong++;
      if (firstWrong == null) {
        firstWrong = what;
      }
    }

    @Override
    public long seen() {
      return seen;
    }

    @Override
    public boolean complete() {
      return seen >= expected();
    }

    /** Extra conditions of a workload; null when fine. */
    String extraProblem() {
      return null;
    }

    @Override
    public Verdict verdict(boolean exactlyOnce, int probes) {
      StringBuilder problems = new StringBuilder();
      if (seen != expected()) {
        problems.append(String.format("missing=%d of %d; ", expected() - seen, expected()));
      }
      if (wrong > 0) {
        problems
            .append("wrong=")
            .append(wrong)
            .append(" (first: ")
            .append(firstWrong)
            .append("); ");
      }
      if (exactlyOnce && duplicates + probeDuplicates > 0) {
        problems.append("duplicates=").append(duplicates + probeDuplicates).append("; ");
      }
      if (probesSeen != probes) {
        problems.append("probes=").append(probesSeen).append(" of ").append(probes).append("; ");
      }
      String extra = extraProblem();
      if (extra != null) {
        problems.append(extra).append("; ");
      }
      if (problems.length() > 0) {
        return new Verdict(false, problems.substring(0, problems.length() - 2));
      }
      String dup = duplicates > 0 ? ", " + duplicates + " duplicates (allowed at least once)" : "";
      return new Verdict(true, "ok: " + seen + " outputs" + dup);
    }

    void probe(long index, java.util.BitSet probeBits) {
      if (index < 0 || index > Integer.MAX_VALUE) {
        wrong("probe index " + index);
      } else if (probeBits.get((int) index)) {
        probeDuplicates++;
      } else {
        probeBits.set((int) index);
        probesSeen++;
      }
    }
  }
}
