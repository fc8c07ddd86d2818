package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static RunResult run(
      Workload w, String contender, int round, long records, double seconds) {
    return new RunResult(
        w,
        contender,
        Mode.EOS,
        round,
        true,
        "ok",
        records,
        records / seconds,
        seconds,
        seconds,
        1.0,
        -1,
        -1,
        -1,
        new long[0]);
  }

  @Test
  void restoreRatioComparesRecordsPerSecond() {
    List<RunResult> results =
        List.of(
            run(Workload.W4, Contenders.WEIR, 1, 1000, 2.0),
            run(Workload.W4, Contenders.KAFKA_STREAMS, 1, 1000, 4.0));
    assertThat(Report.ratios(Workload.W4, results, Contenders.of(Workload.W4), List.of(Mode.EOS)))
        .containsExactly("ratio W4 eos weir/kafka-streams=2.00");
  }

  @Test
  void recoveryRatioComparesMedianReadyTimesWhateverWasRestored() {
    // Weir restores nothing; by records/s it would score 0 however soon it is ready.
    List<RunResult> results =
        List.of(
            run(Workload.W5, Contenders.WEIR, 1, 0, 1.0),
            run(Workload.W5, Contenders.WEIR, 2, 0, 3.0),
            run(Workload.W5, Contenders.WEIR, 3, 0, 2.0),
            run(Workload.W5, Contenders.KAFKA_STREAMS, 1, 1000, 9.0),
            run(Workload.W5, Contenders.KAFKA_STREAMS, 2, 1000, 5.0),
            run(Workload.W5, Contenders.KAFKA_STREAMS, 3, 1000, 7.0));
    assertThat(Report.ratios(Workload.W5, results, Contenders.of(Workload.W5), List.of(Mode.EOS)))
        .containsExactly("ratio W5 eos weir/kafka-streams=3.50");
  }

  @Test
  void windowRatiosCompareWithBothAnchorsAndLeaveOutTheInformationalContender() {
    List<RunResult> results =
        List.of(
            run(Workload.W2K, Contenders.WEIR, 1, 1000, 2.0),
            run(Workload.W2K, Contenders.KAFKA_STREAMS, 1, 1000, 3.0),
            run(Workload.W2K, Contenders.FLINK, 1, 1000, 4.0),
            run(Workload.W2, Contenders.WEIR, 1, 1000, 1.0),
            run(Workload.W2, Contenders.KAFKA_STREAMS, 1, 1000, 2.0),
            run(Workload.W2, Contenders.KAFKA_STREAMS_GRACE_5S, 1, 1000, 0.5));
    assertThat(
            Report.ratios(
                Workload.W2K,
                results.subList(0, 3),
                Contenders.of(Workload.W2K),
                List.of(Mode.EOS)))
        .containsExactly("ratio W2K eos weir/kafka-streams=1.50 weir/flink=2.00");
    // Flink listed but not run (not selected with --contenders): n/a with the reason.
    assertThat(
            Report.ratios(
                Workload.W2, results.subList(3, 6), Contenders.of(Workload.W2), List.of(Mode.EOS)))
        .containsExactly("ratio W2 eos weir/kafka-streams=2.00 weir/flink=n/a (flink: not run)");
    // Without Flink in the lineup (not built) the line is the one it always was.
    assertThat(
            Report.ratios(
                Workload.W2,
                results.subList(3, 6),
                List.of(
                    Contenders.WEIR, Contenders.KAFKA_STREAMS, Contenders.KAFKA_STREAMS_GRACE_5S),
                List.of(Mode.EOS)))
        .containsExactly("ratio W2 eos weir/kafka-streams=2.00");
  }

  @Test
  void w1RatioLineKeepsItsFieldsAndAddsFlinkLast() {
    List<RunResult> results =
        List.of(
            run(Workload.W1, Contenders.WEIR, 1, 1000, 1.0),
            run(Workload.W1, Contenders.KAFKA_STREAMS, 1, 1000, 2.0),
            run(Workload.W1, Contenders.RAW, 1, 1000, 0.5),
            run(Workload.W1, Contenders.FLINK, 1, 1000, 4.0));
    assertThat(Report.ratios(Workload.W1, results, Contenders.of(Workload.W1), List.of(Mode.EOS)))
        .containsExactly("ratio W1 eos weir/kafka-streams=2.00 weir/raw=0.50 weir/flink=4.00");
  }

  @Test
  void recoveryTableShowsRecordsRestored() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    List<RunResult> results =
        List.of(
            run(Workload.W5, Contenders.WEIR, 1, 0, 1.5),
            run(Workload.W5, Contenders.KAFKA_STREAMS, 1, 3_000_000, 12.0));
    Report.table(
        out,
        Workload.W5,
        "3,000,000 distinct keys",
        results,
        Contenders.of(Workload.W5),
        List.of(Mode.EOS));
    List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(3)).contains("restored").contains("ready-s").contains("cpu-s/M");
    assertThat(lines.get(4))
        .startsWith("weir")
        .contains("      0 (0..0)")
        .contains(" 1.5 ")
        .as("CPU per million restored records, with none restored")
        .contains(" n/a ");
    assertThat(lines.get(5))
        .startsWith("kafka-streams")
        .contains("3,000,000 (3,000,000..3,000,000)")
        .contains(" 12.0 ")
        .as("1.0 CPU s for 3,000,000 records")
        .contains(" 0.33 ");
  }
}
