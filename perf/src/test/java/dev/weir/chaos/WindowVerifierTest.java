package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class WindowVerifierTest {
  private static final long BASE = 1_700_000_003_217L;
  private static final long SIZE = 1_000;
  private final Workload w = new Workload(11, 3_000, 15, 3);

  /** The expected results, computed here the plain way: key@start to count. */
  private Map<String, Integer> expected() {
    Map<String, Integer> out = new TreeMap<>();
    for (int seq = 0; seq < w.records(); seq++) {
      long t = BASE + w.eventTimeOffsetMs(seq);
      out.merge(w.key(seq) + "@" + (t - Math.floorMod(t, SIZE)), 1, Integer::sum);
    }
    return out;
  }

  private static void feed(WindowVerifier v, Map<String, Integer> results) {
    long offset = 0;
    for (Map.Entry<String, Integer> e : results.entrySet()) {
      String key = e.getKey().substring(0, e.getKey().indexOf('@'));
      String start = e.getKey().substring(e.getKey().indexOf('@') + 1);
      v.accept(0, offset++, key, key + ":" + start + ":" + e.getValue());
    }
  }

  @Test
  void everyWindowOnceWithItsCountPasses() {
    WindowVerifier v = new WindowVerifier(w, BASE, SIZE);
    Map<String, Integer> all = expected();
    assertThat(v.expected()).isEqualTo(all.size());
    feed(v, all);
    v.accept(1, 0, Workload.sentinelKey(1), "~end1:sentinel:1");
    assertThat(v.distinct()).isEqualTo(all.size());
    assertThat(v.verdict().ok()).as(v.verdict().details()).isTrue();
    assertThat(v.verdict().outputs()).isEqualTo(all.size());
  }

  @Test
  void missingDoubledAndMiscountedWindowsAreNamed() {
    WindowVerifier v = new WindowVerifier(w, BASE, SIZE);
    Map<String, Integer> all = expected();
    String[] keys = all.keySet().toArray(new String[0]);
    Map<String, Integer> fed = new TreeMap<>(all);
    fed.remove(keys[3]);
    fed.put(keys[5], all.get(keys[5]) + 1);
    feed(v, fed);
    feed(v, Map.of(keys[7], all.get(keys[7])));
    v.accept(2, 99, "k1", "k1:123:4");
    Verifier.Verdict verdict = v.verdict();
    assertThat(verdict.lost()).isEqualTo(1);
    assertThat(verdict.duplicated()).isEqualTo(1);
    assertThat(verdict.wrong()).isEqualTo(2);
    assertThat(verdict.details())
        .contains("first: [" + keys[3] + "]")
        .contains("window " + keys[7] + " again")
        .contains("window " + keys[5] + " counted " + (all.get(keys[5]) + 1))
        .contains("unparsable or unknown window result 'k1'='k1:123:4'");
  }
}
