package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class W8GapsTest {
  @Test
  void theLongestGapIsTheLongestSilenceOfAnyPartitionWithinTheWindow() {
    long[][] arrivals = {
      {1_000, 1_100, 1_200, 1_300}, // steady: 100 ms apart, then silent from 1,300 to the end 1,400
      {900, 1_050, 1_400}, // 350 ms from 1,050 to 1,400
      {1_000, 1_200, 1_400}
    };
    assertThat(W8Gaps.longestGap(arrivals, 1_000, 1_400)).isEqualTo(350);
  }

  @Test
  void theLongestGapSaysWhereItLies() {
    long[][] arrivals = {{1_000, 1_100, 1_200, 1_300}, {900, 1_050, 1_400}, {1_000, 1_200, 1_400}};
    assertThat(W8Gaps.longest(arrivals, 1_000, 1_400)).isEqualTo(new W8Gaps.Gap(1, 1_050, 1_400));
    // Silent to the window's end: the gap ends there.
    assertThat(W8Gaps.longest(new long[][] {{1_100}}, 1_000, 2_000))
        .isEqualTo(new W8Gaps.Gap(0, 1_100, 2_000));
    assertThat(W8Gaps.longest(new long[0][], 1_000, 2_000))
        .isEqualTo(new W8Gaps.Gap(-1, 1_000, 1_000));
  }

  @Test
  void arrivalsOutsideTheWindowDoNotCountButTheWindowEdgesDo() {
    // The arrival before the window does not shorten the first gap: it runs from the start, 1,000.
    long[][] arrivals = {{500, 1_600, 1_700, 2_500}};
    assertThat(W8Gaps.longestGap(arrivals, 1_000, 2_000)).isEqualTo(600);
    // A partition that received nothing in the window was silent for all of it.
    assertThat(W8Gaps.longestGap(new long[][] {{100}, {}}, 1_000, 2_000)).isEqualTo(1_000);
    assertThat(W8Gaps.longestGap(new long[0][], 1_000, 2_000)).isZero();
  }

  @Test
  void aDescendingArrivalOrAnInvertedWindowIsRejected() {
    assertThatThrownBy(() -> W8Gaps.longestGap(new long[][] {{5, 3}}, 0, 10))
        .hasMessageContaining("partition 0 descend: 3 after 5");
    assertThatThrownBy(() -> W8Gaps.longestGap(new long[][] {}, 10, 5))
        .hasMessageContaining("ends (5) before it starts 10");
  }

  @Test
  void p99IsTheNearestRankOfTheLatenciesOfRecordsSentInTheWindow() {
    // 200 records sent at 1,000..1,199 with latencies 1..200 ms; one sent before the window (at
    // 999, latency 10,000) and one after it (1,300, latency 5,000) are left out.
    long[] ts = new long[202];
    long[] arrivals = new long[202];
    for (int i = 0; i < 200; i++) {
      ts[i] = 1_000 + i;
      arrivals[i] = ts[i] + (i + 1);
    }
    ts[200] = 999;
    arrivals[200] = 10_999;
    ts[201] = 1_300;
    arrivals[201] = 6_300;
    // ceil(0.99 * 200) = rank 198.
    assertThat(W8Gaps.p99(ts, arrivals, 1_000, 1_200)).isEqualTo(198);
    // One sample: its own latency. None sent in the window: -1.
    assertThat(W8Gaps.p99(new long[] {10}, new long[] {25}, 0, 100)).isEqualTo(15);
    assertThat(W8Gaps.p99(ts, arrivals, 0, 500)).isEqualTo(-1);
  }

  @Test
  void p99OfOneHundredAndOneSamplesIsTheHundredth() {
    // ceil(0.99 * 101) = rank 100.
    long[] ts = new long[101];
    long[] arrivals = new long[101];
    for (int i = 0; i < 101; i++) {
      ts[i] = i;
      arrivals[i] = 2 * i + 1; // latency i + 1, 1..101
    }
    assertThat(W8Gaps.p99(ts, arrivals, 0, 100)).isEqualTo(100);
  }

  @Test
  void p99RejectsArraysOfDifferentLengths() {
    assertThatThrownBy(() -> W8Gaps.p99(new long[2], new long[1], 0, 1))
        .hasMessageContaining("2 timestamps but 1 arrival times");
  }

  @Test
  void medianTakesTheUpperOfAnEvenCount() {
    assertThat(W8Gaps.median(new long[] {30, 10, 20})).isEqualTo(20);
    assertThat(W8Gaps.median(new long[] {40, 10, 30, 20})).isEqualTo(30);
    assertThat(W8Gaps.median(new long[0])).isEqualTo(-1);
  }

  @Test
  void theSummaryHasALinePerEventAndTheGapRatioOfTheLongerEventGap() {
    List<W8Runner.Run> runs =
        List.of(
            run("weir", 1, new long[] {200, 900, 4_000}, new long[] {50, 300, 2_000}),
            run("kafka-streams", 1, new long[] {250, 7_000, 12_000}, new long[] {60, 900, 9_000}));
    assertThat(W8Runner.summary(runs, List.of("weir", "kafka-streams")))
        .containsExactly(
            "W8 eos steady: weir gap=200ms p99=50ms kafka-streams gap=250ms p99=60ms",
            "W8 eos scale-out: weir gap=900ms p99=300ms kafka-streams gap=7000ms p99=900ms",
            "W8 eos kill: weir gap=4000ms p99=2000ms kafka-streams gap=12000ms p99=9000ms",
            "ratio W8 eos gap kafka-streams/weir=3.00");
  }

  @Test
  void aFailedRunMarksTheRatioLineAndAMissingSideGivesNoRatio() {
    W8Runner.Run bad =
        new W8Runner.Run(
            "kafka-streams",
            1,
            false,
            "FAILED: x",
            new long[] {-1, -1, -1},
            new long[] {-1, -1, -1},
            0,
            0);
    List<String> lines =
        W8Runner.summary(
            List.of(run("weir", 1, new long[] {1, 2, 3}, new long[] {1, 1, 1}), bad),
            List.of("weir", "kafka-streams"));
    assertThat(lines.get(3))
        .isEqualTo("ratio W8 eos gap kafka-streams/weir=n/a (output check FAILED)");
    assertThat(lines.get(0))
        .isEqualTo("W8 eos steady: weir gap=1ms p99=1ms kafka-streams gap=-1ms p99=-1ms");
  }

  private static W8Runner.Run run(String c, int round, long[] gaps, long[] p99s) {
    return new W8Runner.Run(c, round, true, "ok", gaps, p99s, 1_000, 100);
  }
}
