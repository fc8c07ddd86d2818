package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PerfOptionsTest {
  @Test
  void defaultsMatchTheIssue() {
    PerfOptions o = PerfOptions.parse("W1");
    assertThat(o.records()).isEqualTo(2_000_000);
    assertThat(o.keys()).isEqualTo(10_000);
    assertThat(o.partitions()).isEqualTo(8);
    assertThat(o.rounds()).isEqualTo(3);
    assertThat(o.modes()).containsExactly(Mode.EOS, Mode.ALOS);
    assertThat(o.contendersOf(Workload.W1)).containsExactly("weir", "kafka-streams", "raw");
  }

  @Test
  void allMeansEveryWorkloadOnce() {
    assertThat(PerfOptions.parse("all", "W1", "--rounds", "1").workloads())
        .containsExactly(
            Workload.W1,
            Workload.W2,
            Workload.W3,
            Workload.W4,
            Workload.W5,
            Workload.W6,
            Workload.W7);
  }

  @Test
  void badInputIsExplained() {
    assertThatThrownBy(() -> PerfOptions.parse("W9")).hasMessageContaining("Unknown workload 'W9'");
    assertThatThrownBy(() -> PerfOptions.parse("W1", "--rounds", "0"))
        .hasMessageContaining("--rounds must be positive");
    assertThatThrownBy(() -> PerfOptions.parse()).hasMessageContaining("Name a workload");
    assertThat(PerfOptions.parse("W1", "--modes", "eos").modes()).isEqualTo(List.of(Mode.EOS));
  }
}
