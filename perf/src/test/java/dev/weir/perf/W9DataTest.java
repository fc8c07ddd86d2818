package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class W9DataTest {
  private static final long HOUR = 3_600_000L;
  // 2026-12-07 07:02:00 UTC, and Dataset.defaultT0()'s value then (04:00).
  private static final long NOW = 1_796_626_920_000L;
  private static final long DEFAULT_T0 = NOW - 3 * HOUR - 2 * 60_000L;

  @Test
  void theDefaultCountKeepsTheDefaultStartAtBothSizes() {
    assertThat(W9Data.t0(240_000, 2_000, DEFAULT_T0, NOW)).isEqualTo(DEFAULT_T0);
    assertThat(W9Data.t0(240_000, 20_000, DEFAULT_T0, NOW)).isEqualTo(DEFAULT_T0);
    assertThat(W9Data.t0(2_400_000, 20_000, DEFAULT_T0, NOW)).isEqualTo(DEFAULT_T0);
  }

  @Test
  void aLongDataSetStartsEarlierSoItsLastTimestampIsAtMostHalfAnHourAhead() {
    // 2,400,000 records at n=2,000: 300 one-minute windows, then the flush records 1.5 minutes on.
    long t0 = W9Data.t0(2_400_000, 2_000, DEFAULT_T0, NOW);
    assertThat(t0).isEqualTo(NOW + 30 * 60_000L - 302 * 60_000L);
    W9Data data = new W9Data(2_400_000, 2_000, 8, t0);
    assertThat(data.windows()).isEqualTo(1_200);
    long flushTime = data.t0() + 301 * 60_000L + 30_000L;
    assertThat(flushTime).isLessThanOrEqualTo(NOW + 30 * 60_000L);
    assertThat(data.t0() % W9Data.WINDOW_MS).isZero();
  }
}
