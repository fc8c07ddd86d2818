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
  void profileNamesOneOrSeveralContenders() {
    assertThat(PerfOptions.parse("W1").profiles("weir")).isFalse();
    assertThat(PerfOptions.parse("W1", "--profile", "weir").profiles("weir")).isTrue();
    assertThat(PerfOptions.parse("W1", "--profile", "weir").profiles("raw")).isFalse();
    PerfOptions both = PerfOptions.parse("W1", "--profile", "weir,raw");
    assertThat(both.profiles("weir")).isTrue();
    assertThat(both.profiles("raw")).isTrue();
    assertThat(both.profiles("kafka-streams")).isFalse();
  }

  @Test
  void weirLogIsOptIn() {
    assertThat(PerfOptions.parse("W4").weirLogLevel()).isNull();
    assertThat(PerfOptions.parse("W4", "--weir-log", "info").weirLogLevel()).isEqualTo("info");
    assertThat(PerfOptions.parse("W4", "--weir-log", " ").weirLogLevel()).isNull();
    assertThat(PerfOptions.parse("W4", "--weir-log", "info").childLogLevel()).isEqualTo("warn");
  }

  @Test
  void warmUpIsOptIn() {
    assertThat(PerfOptions.parse("W1").warmUp()).isNull();
    assertThat(PerfOptions.parse("W1", "--warm-up", "raw").warmUp()).isEqualTo("raw");
    assertThat(PerfOptions.parse("W1").warmUpsOf(Workload.W1)).isEmpty();
  }

  @Test
  void warmUpNamesTheContendersOfEachWorkload() {
    PerfOptions o = PerfOptions.parse("W1", "W3", "--warm-up", "raw, weir,raw,flink");
    assertThat(o.warmUpsOf(Workload.W1)).containsExactly("raw", "weir"); // no Flink classpath
    assertThat(o.warmUpsOf(Workload.W3)).containsExactly("weir");
  }

  @Test
  void warmUpAllIsEveryContenderOfTheRun() {
    PerfOptions o = PerfOptions.parse("W1", "--warm-up", "all", "--contenders", "weir,raw");
    assertThat(o.warmUpsOf(Workload.W1)).containsExactly("weir", "raw");
    assertThat(PerfOptions.parse("W1", "--warm-up", "ALL").warmUpsOf(Workload.W1))
        .containsExactly("weir", "kafka-streams", "raw");
  }

  @Test
  void allMeansEveryWorkloadOnce() {
    assertThat(PerfOptions.parse("all", "W1", "--rounds", "1").workloads())
        .containsExactly(
            Workload.W1,
            Workload.W2,
            Workload.W2K,
            Workload.W3,
            Workload.W4,
            Workload.W5,
            Workload.W6,
            Workload.W7,
            Workload.W8,
            Workload.W9);
  }

  @Test
  void badInputIsExplained() {
    assertThatThrownBy(() -> PerfOptions.parse("W10"))
        .hasMessageContaining("Unknown workload 'W10'");
    assertThatThrownBy(() -> PerfOptions.parse("W1", "--rounds", "0"))
        .hasMessageContaining("--rounds must be positive");
    assertThatThrownBy(() -> PerfOptions.parse()).hasMessageContaining("Name a workload");
    assertThat(PerfOptions.parse("W1", "--modes", "eos").modes()).isEqualTo(List.of(Mode.EOS));
    assertThatThrownBy(() -> PerfOptions.parse("W8", "--rate", "0"))
        .hasMessageContaining("--rate must be positive");
  }

  @Test
  void w8HasItsRateAndWindowsAndComparesWeirWithKafkaStreams() {
    PerfOptions o = PerfOptions.parse("W8");
    assertThat(o.rate()).isEqualTo(2000);
    assertThat(o.eventSeconds()).isEqualTo(90);
    assertThat(o.contendersOf(Workload.W8)).containsExactly("weir", "kafka-streams");
    PerfOptions small = PerfOptions.parse("W8", "--rate", "200", "--event-seconds", "20");
    assertThat(small.rate()).isEqualTo(200);
    assertThat(small.eventSeconds()).isEqualTo(20);
  }

  @Test
  void w9RunsItsTwoSizesUnlessW9SizesNamesOthers() {
    assertThat(PerfOptions.parse("W9").w9Sizes()).containsExactly(2_000, 20_000);
    assertThat(PerfOptions.parse("W9", "--w9-sizes", "2000,20_000, 200000").w9Sizes())
        .containsExactly(2_000, 20_000, 200_000);
    assertThat(PerfOptions.parse("W9", "--w9-sizes", "50000").w9Sizes()).containsExactly(50_000);
    assertThatThrownBy(() -> PerfOptions.parse("W9", "--w9-sizes", "2000,0"))
        .hasMessageContaining("--w9-sizes must be positive");
    assertThatThrownBy(() -> PerfOptions.parse("W9", "--w9-sizes", "2000,2000"))
        .hasMessageContaining("names 2000 twice");
  }

  @Test
  void w9RunsMinOfRecordsAnd240000UnlessW9RecordsSaysOtherwise() {
    assertThat(PerfOptions.parse("W9").w9RecordsPerSize()).isEqualTo(240_000);
    assertThat(PerfOptions.parse("W9", "--records", "100000").w9RecordsPerSize())
        .isEqualTo(100_000);
    assertThat(PerfOptions.parse("W9", "--records", "5000000").w9RecordsPerSize())
        .isEqualTo(240_000);
    assertThat(PerfOptions.parse("W9", "--w9-records", "2_400_000").w9RecordsPerSize())
        .isEqualTo(2_400_000);
    PerfOptions both =
        PerfOptions.parse("W1", "W9", "--records", "100000", "--w9-records", "50000");
    assertThat(both.w9RecordsPerSize()).isEqualTo(50_000);
    assertThat(both.records()).isEqualTo(100_000);
    assertThatThrownBy(() -> PerfOptions.parse("W9", "--w9-records", "0"))
        .hasMessageContaining("--w9-records must be positive");
    assertThat(PerfOptions.USAGE).contains("--w9-records N");
  }

  @Test
  void flinkRunsInW1W2W2KW6AndW9OnlyWhenBuilt() {
    PerfOptions without = PerfOptions.parse("W1", "W2", "W2K", "W6");
    assertThat(without.flinkClasspath()).isNull();
    assertThat(without.lineup(Workload.W2))
        .containsExactly("weir", "kafka-streams", "kafka-streams-grace5s");
    assertThat(without.lineup(Workload.W2K)).containsExactly("weir", "kafka-streams");
    assertThat(without.lineup(Workload.W6)).containsExactly("weir", "kafka-streams");
    assertThat(without.lineup(Workload.W9)).containsExactly("weir", "kafka-streams");
    assertThat(without.contendersOf(Workload.W9)).containsExactly("weir", "kafka-streams");

    PerfOptions with = PerfOptions.parse("W2K", "--flink-classpath", "/a.jar:/b");
    assertThat(with.flinkClasspath()).isEqualTo("/a.jar:/b");
    assertThat(with.lineup(Workload.W1)).containsExactly("weir", "kafka-streams", "raw", "flink");
    assertThat(with.lineup(Workload.W2))
        .containsExactly("weir", "kafka-streams", "kafka-streams-grace5s", "flink");
    assertThat(with.lineup(Workload.W2K)).containsExactly("weir", "kafka-streams", "flink");
    assertThat(with.lineup(Workload.W6)).containsExactly("weir", "kafka-streams", "flink");
    assertThat(with.lineup(Workload.W9)).containsExactly("weir", "kafka-streams", "flink");
    assertThat(with.contendersOf(Workload.W9)).containsExactly("weir", "kafka-streams", "flink");
    assertThat(with.lineup(Workload.W3)).containsExactly("weir", "kafka-streams");

    PerfOptions onlyFlink =
        PerfOptions.parse("W2K", "--flink-classpath", "/a.jar", "--contenders", "weir,flink");
    assertThat(onlyFlink.contendersOf(Workload.W2K)).containsExactly("weir", "flink");
    // The lineup, and so the ratio line, still names every contender of the workload.
    assertThat(onlyFlink.lineup(Workload.W2K)).containsExactly("weir", "kafka-streams", "flink");

    assertThatThrownBy(() -> PerfOptions.parse("W2K", "--contenders", "weir,flink"))
        .hasMessageContaining("the Flink contender was not built")
        .hasMessageContaining("perf/run.sh with --flink");
  }
}
