package dev.weir.perf.latency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.perf.Event;
import dev.weir.perf.Percentiles;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CommitLatencyTest {
  @Test
  void inputLinesAreW1LinesOnePerKey() {
    byte[][][] lines = CommitLatency.inputLines(1_700_000_000_000L);
    assertThat(lines.length).isEqualTo(CommitLatency.RING);
    int kept = 0;
    for (int s = 0; s < CommitLatency.RING; s++) {
      String key = new String(lines[s][0], StandardCharsets.UTF_8);
      Event e = Event.parse(new String(lines[s][1], StandardCharsets.UTF_8));
      assertThat(key).isEqualTo("k" + s);
      assertThat(e.key()).isEqualTo(key);
      assertThat(e.seq()).isEqualTo(s);
      assertThat(e.eventTime()).isEqualTo(1_700_000_000_000L);
      assertThat(e.category()).isEqualTo("c" + (s % 10));
      kept += e.keep() ? 1 : 0;
    }
    assertThat(kept).isEqualTo(CommitLatency.RING * 9 / 10); // c0 is dropped
  }

  @Test
  void latencyLogGrowsAndSorts() {
    LatencyLog log = new LatencyLog(2);
    for (long v : new long[] {30, 10, 50, 20, 40, 10, 60, 70, 80, 90, 100, 5, 15, 25, 35, 45, 55}) {
      log.add(v);
    }
    assertThat(log.size()).isEqualTo(17);
    long[] sorted = log.sorted();
    assertThat(sorted)
        .containsExactly(5, 10, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 70, 80, 90, 100);
    assertThat(Percentiles.nearestRank(sorted, 50)).isEqualTo(40);
    assertThat(Percentiles.nearestRank(sorted, 99)).isEqualTo(100);
    assertThat(Percentiles.nearestRank(new long[] {7}, 99)).isEqualTo(7);
  }
}
