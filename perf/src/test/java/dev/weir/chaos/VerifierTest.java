package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerifierTest {
  private final Workload w = new Workload(7, 1_000, 20, 3);

  private Verifier fedWithEverythingExcept(int... skipped) {
    Verifier v = new Verifier(w, ChaosPipeline.Kind.REPARTITION);
    long offset = 0;
    outer:
    for (int seq = 0; seq < w.records(); seq++) {
      for (int s : skipped) {
        if (s == seq) {
          continue outer;
        }
      }
      v.accept(seq % 3, offset++, w.key(seq), w.key(seq) + ":" + seq);
    }
    return v;
  }

  @Test
  void exactOutputPasses() {
    Verifier.Verdict v = fedWithEverythingExcept().verdict();
    assertThat(v.ok()).isTrue();
    assertThat(v.summary()).isEqualTo("records=1000 lost=0 duplicated=0 wrong=0");
    assertThat(v.details()).isEmpty();
  }

  @Test
  void missingRecordsAreLostAndNamedWithTheirKeys() {
    Verifier.Verdict v = fedWithEverythingExcept(5, 600).verdict();
    assertThat(v.lost()).isEqualTo(2);
    assertThat(v.ok()).isFalse();
    assertThat(v.details())
        .contains("first lost seqs [5, 600]")
        .contains(w.key(5) + "=")
        .contains(w.key(600) + "=");
  }

  @Test
  void repeatedRecordsAreDuplicatedWithBothPositions() {
    Verifier v = fedWithEverythingExcept();
    v.accept(1, 5000, w.key(17), w.key(17) + ":17");
    v.accept(1, 5001, w.key(17), w.key(17) + ":17");
    v.accept(2, 5002, w.key(18), w.key(18) + ":18");
    Verifier.Verdict verdict = v.verdict();
    assertThat(verdict.duplicated()).isEqualTo(2);
    assertThat(verdict.lost()).isZero();
    assertThat(verdict.outputs()).isEqualTo(1003);
    assertThat(verdict.details())
        .contains(
            "seq 17 ("
                + w.key(17)
                + ") again at partition 1 offset 5000, first at partition 2 offset 17");
  }

  @Test
  void wrongKeysValuesAndGarbageAreWrong() {
    Verifier v = fedWithEverythingExcept(3, 4);
    v.accept(0, 9000, "not-" + w.key(3), w.key(3) + ":3");
    v.accept(0, 9001, w.key(4), w.key(4) + ":4:extra");
    v.accept(0, 9002, "x", "garbage");
    v.accept(0, 9003, "x", "k1:1000000");
    Verifier.Verdict verdict = v.verdict();
    assertThat(verdict.wrong()).isEqualTo(4);
    assertThat(verdict.lost()).isZero();
    assertThat(verdict.details())
        .contains("partition 0 offset 9000: got 'not-" + w.key(3))
        .contains("unparsable or unknown record 'x'='garbage'")
        .contains("'k1:1000000'");
  }

  @Test
  void progressCountsDistinctRecords() {
    Verifier v = new Verifier(w, ChaosPipeline.Kind.REPARTITION);
    v.accept(0, 0, w.key(0), w.key(0) + ":0");
    v.accept(0, 1, w.key(0), w.key(0) + ":0");
    v.accept(0, 2, w.key(1), w.key(1) + ":1");
    v.accept(0, 3, Workload.sentinelKey(0), "~end0:sentinel:1");
    assertThat(v.distinct()).isEqualTo(2);
    assertThat(v.verdict().outputs()).isEqualTo(3);
  }

  @Test
  void runningCountsAreCheckedAgainstTheRankOfEachRecord() {
    Verifier v = new Verifier(w, ChaosPipeline.Kind.RUNNING_COUNT);
    int[] counts = w.runningCounts();
    for (int seq = 0; seq < w.records(); seq++) {
      int count = seq == 500 ? counts[seq] + 1 : counts[seq];
      v.accept(0, seq, w.key(seq), w.key(seq) + ":" + seq + ":" + count);
    }
    Verifier.Verdict verdict = v.verdict();
    assertThat(verdict.wrong()).isEqualTo(1);
    assertThat(verdict.lost()).isZero();
    assertThat(verdict.details())
        .contains(
            "partition 0 offset 500: got '"
                + w.key(500)
                + "'='"
                + w.key(500)
                + ":500:"
                + (counts[500] + 1)
                + "', expected '"
                + w.key(500)
                + "'='"
                + w.key(500)
                + ":500:"
                + counts[500]
                + "'");
  }
}
