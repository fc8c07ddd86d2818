package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {
  private static final long[] HUNDRED = new long[100];

  static {
    for (int i = 0; i < 100; i++) {
      HUNDRED[i] = i + 1; // 1..100
    }
  }

  @Test
  void theValueAtTheRankOfTheSmallestCoveringShare() {
    assertThat(Percentiles.nearestRank(HUNDRED, 99)).isEqualTo(99);
    assertThat(Percentiles.nearestRank(HUNDRED, 50)).isEqualTo(50);
    assertThat(Percentiles.nearestRank(HUNDRED, 100)).isEqualTo(100);
    assertThat(Percentiles.nearestRank(HUNDRED, 1)).isEqualTo(1);
    // 3 samples: p50 is rank 2, p99 rank 3.
    assertThat(Percentiles.nearestRank(new long[] {10, 20, 30}, 50)).isEqualTo(20);
    assertThat(Percentiles.nearestRank(new long[] {10, 20, 30}, 99)).isEqualTo(30);
  }

  @Test
  void onlyTheFirstNCount() {
    long[] partly = {1, 2, 3, 4, 0, 0};
    assertThat(Percentiles.nearestRank(partly, 4, 99)).isEqualTo(4);
    assertThat(Percentiles.nearestRank(partly, 4, 50)).isEqualTo(2);
  }

  @Test
  void noSamplesOrABadPercentileIsAnError() {
    assertThatThrownBy(() -> Percentiles.nearestRank(new long[0], 99))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no samples");
    assertThatThrownBy(() -> Percentiles.nearestRank(HUNDRED, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not in 1..100");
  }
}
