package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JoinVerifierTest {
  private static final long BOUND = 20;
  private final Workload w = new Workload(11, 3_000, 15, 3);

  /** The expected results, computed here the plain way: every (even, odd) pair of one key. */
  private List<String> expected() {
    List<String> out = new ArrayList<>();
    for (int l = 0; l < w.records(); l += 2) {
      for (int r = 1; r < w.records(); r += 2) {
        if (w.keyIndex(l) == w.keyIndex(r)
            && Math.abs(w.eventTimeOffsetMs(l) - w.eventTimeOffsetMs(r)) <= BOUND) {
          out.add(w.key(l) + ":" + l + ":" + r);
        }
      }
    }
    return out;
  }

  private static void feed(JoinVerifier v, List<String> results) {
    long offset = 0;
    for (String r : results) {
      v.accept(0, offset++, r.substring(0, r.indexOf(':')), r);
    }
  }

  @Test
  void everyPairOncePasses() {
    JoinVerifier v = new JoinVerifier(w, BOUND);
    List<String> all = expected();
    assertThat(all).hasSizeGreaterThan(100);
    assertThat(v.expected()).isEqualTo(all.size());
    feed(v, all);
    assertThat(v.distinct()).isEqualTo(all.size());
    Verifier.Verdict verdict = v.verdict();
    assertThat(verdict.ok()).as(verdict.details()).isTrue();
    assertThat(verdict.outputs()).isEqualTo(all.size());
  }

  @Test
  void aMissingPairIsLostARepeatedOneDuplicatedAndAnUnknownOneWrong() {
    JoinVerifier v = new JoinVerifier(w, BOUND);
    List<String> all = expected();
    String first = all.get(0);
    feed(v, all.subList(1, all.size()));
    feed(v, List.of(all.get(1)));
    String[] p = first.split(":");
    // The same records the other way round, and a pair of records too far apart.
    v.accept(0, 0, p[0], p[0] + ":" + p[2] + ":" + p[1]);
    v.accept(0, 1, "k0", "k0:0:999");
    Verifier.Verdict verdict = v.verdict();
    assertThat(verdict.lost()).isEqualTo(1);
    assertThat(verdict.duplicated()).isEqualTo(1);
    assertThat(verdict.wrong()).isEqualTo(2);
    assertThat(verdict.details()).contains(p[1] + "+" + p[2]);
  }
}
