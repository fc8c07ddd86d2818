package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data set is deterministic and the checkers accept exactly the expected outputs. */
class DatasetTest {
  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % Dataset.HOUR_MS;

  private static List<byte[]> values(Dataset d) {
    List<byte[]> v = new ArrayList<>();
    d.generate((partition, timestamp, value) -> v.add(value));
    return v;
  }

  @Test
  void sameSizesSameContent() {
    List<byte[]> a = values(new Dataset(5_000, 100, 4, T0));
    List<byte[]> b = values(new Dataset(5_000, 100, 4, T0));
    assertThat(a).hasSize(5_000);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).isEqualTo(b.get(i));
    }
    assertThat(new String(a.get(0), StandardCharsets.UTF_8).length()).isBetween(90, 110);
  }

  @Test
  void eventTimesSpanAnHourWithBoundedDisorderAndSomeLateRecords() {
    Dataset d = new Dataset(20_000, 100, 4, T0);
    long[] maxSeen = new long[4];
    int[] late = {0};
    long[] disorder = {0};
    d.generate(
        (p, ts, v) -> {
          if (ts < maxSeen[p] - Dataset.HOUR_MS) {
            late[0]++;
            return;
          }
          disorder[0] = Math.max(disorder[0], maxSeen[p] - ts);
          maxSeen[p] = Math.max(maxSeen[p], ts);
        });
    assertThat(disorder[0]).isLessThan(Dataset.MAX_DISORDER_MS);
    assertThat(late[0]).isPositive().isEqualTo(d.w2Dropped());
    assertThat(maxSeen[0] - T0).isBetween(Dataset.HOUR_MS - 10_000, Dataset.HOUR_MS + 5_000);
  }

  @Test
  void w1CheckerAcceptsTheExpectedOutputAndFlagsDuplicatesAndChanges() {
    Dataset d = new Dataset(2_000, 50, 2, T0);
    List<byte[]> outputs = new ArrayList<>();
    d.generate(
        (p, ts, v) -> {
          Event e = Event.parse(new String(v, StandardCharsets.UTF_8));
          if (e.keep()) {
            outputs.add(e.enrich().getBytes(StandardCharsets.UTF_8));
          }
        });
    W1Checker ok = new W1Checker(d);
    outputs.forEach(v -> ok.accept(null, v));
    assertThat(ok.complete()).isTrue();
    assertThat(ok.verdict(true, 0).ok()).as(ok.verdict(true, 0).summary()).isTrue();

    W1Checker dup = new W1Checker(d);
    outputs.forEach(v -> dup.accept(null, v));
    dup.accept(null, outputs.get(3));
    assertThat(dup.verdict(true, 0).ok()).isFalse();
    assertThat(dup.verdict(false, 0).ok()).isTrue();

    W1Checker changed = new W1Checker(d);
    byte[] first = outputs.get(0).clone();
    first[first.length - 1] ^= 1;
    changed.accept(null, first);
    outputs.subList(1, outputs.size()).forEach(v -> changed.accept(null, v));
    assertThat(changed.verdict(true, 0).summary()).contains("content hash differs");
  }

  @Test
  void w2ExpectsOneResultPerNonEmptyWindowAndNoneForLateRecords() {
    Dataset d = new Dataset(20_000, 100, 4, T0);
    d.generate((p, ts, v) -> {});
    long counted = 0;
    for (int k = 0; k < d.keys(); k++) {
      for (int w = 0; w < d.windows(); w++) {
        counted += d.w2Count(k, w);
      }
    }
    assertThat(counted + d.w2Dropped()).isEqualTo(20_000);
    assertThat(d.w2Cells()).isPositive().isLessThanOrEqualTo(counted);
  }
}
