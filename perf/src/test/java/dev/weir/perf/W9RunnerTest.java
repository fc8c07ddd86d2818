package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class W9RunnerTest {
  private static RunResult run(String contender, int round, double seconds, double cpuSeconds) {
    return run(contender, round, seconds, cpuSeconds, -1);
  }

  private static RunResult run(
      String contender, int round, double seconds, double cpuSeconds, double jitCpuSeconds) {
    long records = 240_000;
    return new RunResult(
        Workload.W9,
        contender,
        Mode.EOS,
        round,
        true,
        "ok",
        records,
        records / seconds,
        seconds,
        seconds,
        cpuSeconds,
        jitCpuSeconds,
        -1,
        -1,
        new long[0]);
  }

  @Test
  void ratioAndCpuLinesKeepTheirFieldsWithoutFlink() {
    List<RunResult> results =
        List.of(run(Contenders.WEIR, 1, 2.0, 1.2), run(Contenders.KAFKA_STREAMS, 1, 6.0, 4.8));
    assertThat(
            W9Runner.lines(
                2000, Mode.EOS, results, List.of(Contenders.WEIR, Contenders.KAFKA_STREAMS)))
        .containsExactly(
            "ratio W9 eos n=2000 weir/kafka-streams=3.00",
            "cpu W9 eos n=2000 weir=5.0us/record kafka-streams=20.0us/record",
            "cpu-steady W9 eos n=2000 weir=n/a kafka-streams=n/a");
  }

  @Test
  void flinkComesLastOnBothLinesFromItsMedians() {
    List<RunResult> results =
        List.of(
            run(Contenders.WEIR, 1, 2.0, 1.2),
            run(Contenders.KAFKA_STREAMS, 1, 6.0, 4.8),
            run(Contenders.FLINK, 1, 4.0, 2.4),
            run(Contenders.FLINK, 2, 8.0, 7.2),
            run(Contenders.FLINK, 3, 5.0, 3.6),
            RunResult.failed(Workload.W9, Contenders.FLINK, Mode.EOS, 4, "wrong 1"));
    assertThat(W9Runner.lines(20000, Mode.EOS, results, Contenders.of(Workload.W9)))
        .containsExactly(
            "ratio W9 eos n=20000 weir/kafka-streams=3.00 weir/flink=2.50",
            "cpu W9 eos n=20000 weir=5.0us/record kafka-streams=20.0us/record"
                + " flink=15.0us/record",
            "cpu-steady W9 eos n=20000 weir=n/a kafka-streams=n/a flink=n/a");
  }

  @Test
  void aFlinkWithoutAPassingRunSaysSo() {
    List<RunResult> results =
        List.of(
            run(Contenders.WEIR, 1, 2.0, 1.2),
            run(Contenders.KAFKA_STREAMS, 1, 6.0, 4.8),
            RunResult.failed(Workload.W9, Contenders.FLINK, Mode.EOS, 1, "stalled"));
    assertThat(W9Runner.lines(2000, Mode.EOS, results, Contenders.of(Workload.W9)))
        .containsExactly(
            "ratio W9 eos n=2000 weir/kafka-streams=3.00 weir/flink=n/a (no passing run)",
            "cpu W9 eos n=2000 weir=5.0us/record kafka-streams=20.0us/record flink=n/a",
            "cpu-steady W9 eos n=2000 weir=n/a kafka-streams=n/a flink=n/a");
  }

  @Test
  void theSteadyLineLeavesOutEachRunsJitCompilingAndTakesTheMedian() {
    List<RunResult> results =
        List.of(
            run(Contenders.WEIR, 1, 2.0, 1.2, 0.48),
            run(Contenders.WEIR, 2, 2.0, 1.5, 0.3),
            run(Contenders.WEIR, 3, 2.0, 1.44, 0.6),
            run(Contenders.FLINK, 1, 4.0, 2.4, 1.2),
            run(Contenders.FLINK, 2, 4.0, 2.4)); // unknown: left out of the steady median
    assertThat(W9Runner.lines(2000, Mode.EOS, results, List.of(Contenders.WEIR, Contenders.FLINK)))
        .containsExactly(
            "ratio W9 eos n=2000 weir/flink=2.00",
            "cpu W9 eos n=2000 weir=6.0us/record flink=10.0us/record",
            "cpu-steady W9 eos n=2000 weir=3.5us/record flink=5.0us/record");
  }
}
