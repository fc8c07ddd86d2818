package dev.weir.chaos;

/** Takes committed output records as the output reader finds them. */
interface OutputCheck {
  /**
   * Takes one committed output record.
   *
   * @param partition its output partition
   * @param offset its offset
   * @param key its key, possibly null
   * @param value its value, possibly null
   */
  void accept(int partition, long offset, String key, String value);

  /** How many distinct expected outputs were seen so far: progress. */
  int distinct();

  /** How many distinct outputs are expected in all. */
  int expected();

  /** Compares everything taken so far with the expectation. */
  Verifier.Verdict verdict();
}
