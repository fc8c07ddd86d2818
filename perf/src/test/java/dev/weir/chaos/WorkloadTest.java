package dev.weir.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  private final Workload w = new Workload(42, 50_000, 300, 6);

  @Test
  void sameSeedSameRecordsOtherSeedOtherRecords() {
    Workload again = new Workload(42, 50_000, 300, 6);
    Workload other = new Workload(43, 50_000, 300, 6);
    int differ = 0;
    for (int seq = 0; seq < w.records(); seq++) {
      assertThat(again.value(seq)).isEqualTo(w.value(seq));
      assertThat(again.eventTimeOffsetMs(seq)).isEqualTo(w.eventTimeOffsetMs(seq));
      if (!other.key(seq).equals(w.key(seq))) {
        differ++;
      }
    }
    assertThat(differ).isGreaterThan(w.records() / 2);
  }

  @Test
  void everyKeyHasOnePartitionAndKeysAreSkewedButAllUsed() {
    Map<String, Integer> partitionOf = new HashMap<>();
    Map<Integer, Integer> perKey = new HashMap<>();
    for (int seq = 0; seq < w.records(); seq++) {
      Integer before = partitionOf.putIfAbsent(w.key(seq), w.partition(seq));
      if (before != null) {
        assertThat(w.partition(seq)).as("partition of %s", w.key(seq)).isEqualTo(before);
      }
      perKey.merge(w.keyIndex(seq), 1, Integer::sum);
      assertThat(w.value(seq)).isEqualTo(w.key(seq) + ":" + seq);
    }
    assertThat(perKey).hasSize(300);
    // k0 is the hottest key: u^2 skew gives it about sqrt(1/300) of the records.
    assertThat(perKey.get(0)).isGreaterThan(10 * perKey.get(299));
    Set<Integer> partitions = new HashSet<>(partitionOf.values());
    assertThat(partitions).hasSize(6);
  }

  @Test
  void runningCountIsTheRankAmongTheKeysRecords() {
    int[] counts = w.runningCounts();
    Map<String, Integer> seen = new HashMap<>();
    for (int seq = 0; seq < w.records(); seq++) {
      assertThat(counts[seq]).isEqualTo(seen.merge(w.key(seq), 1, Integer::sum));
    }
  }

  @Test
  void eventTimesAreOutOfOrderByAtMostTheJitter() {
    long max = 0;
    int late = 0;
    for (int seq = 0; seq < w.records(); seq++) {
      long t = w.eventTimeOffsetMs(seq);
      assertThat(t).isNotNegative().isGreaterThan(max - Workload.MAX_JITTER_MS);
      if (t < max) {
        late++;
      }
      max = Math.max(max, t);
    }
    assertThat(late).isPositive();
  }
}
