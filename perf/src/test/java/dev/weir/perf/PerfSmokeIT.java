package dev.weir.perf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end on tiny data sets: a broker, one round of W1 with every contender in both
 * modes, output checks, and the ratio lines last; two rounds of W5 under exactly-once. No timing is
 * asserted.
 */
class PerfSmokeIT {

  /** Runs the harness; returns its output, having checked that every run passed its check. */
  private static String run(String... args) throws InterruptedException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    int code = PerfMain.run(PerfOptions.parse(args), out);
    String text = buffer.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isZero();
    return text;
  }

  @Test
  void w1EndsWithOneRatioLinePerMode(@TempDir Path work) throws Exception {
    String text =
        run(
            "W1",
            "--records",
            "20000",
            "--rounds",
            "1",
            "--probes",
            "100",
            "--probe-rate",
            "500",
            "--work-dir",
            work.toString());

    List<String> lines = text.lines().toList();
    assertThat(lines.get(lines.size() - 2))
        .as(text)
        .matches("ratio W1 eos weir/kafka-streams=\\d+\\.\\d\\d weir/raw=\\d+\\.\\d\\d");
    assertThat(lines.get(lines.size() - 1))
        .as(text)
        .matches("ratio W1 alos weir/kafka-streams=\\d+\\.\\d\\d weir/raw=\\d+\\.\\d\\d");
  }

  @Test
  void w5RecoversFromKillNineAndChecksTheStoreLast(@TempDir Path work) throws Exception {
    String text =
        run(
            "W5",
            "--records",
            "20000",
            "--rounds",
            "2",
            "--modes",
            "eos",
            "--work-dir",
            work.toString());

    List<String> lines = text.lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .as(text)
        .matches("ratio W5 eos weir/kafka-streams=\\d+\\.\\d\\d");
    // Killed while running under exactly-once, Kafka Streams keeps no checkpoint: it restores all.
    assertThat(text).containsPattern("\\[W5 eos r1\\] kafka-streams +20,000 restored");
    assertThat(text).containsPattern("\\[W5 eos r2\\] kafka-streams +20,000 restored");
    // Round 1 was killed idle with everything committed: Weir has nothing to replay.
    assertThat(text).containsPattern("\\[W5 eos r2\\] weir +0 restored");
    assertThat(text).contains("20000 entries after closing");
    // Both clocks start before the application is constructed; the constructor's share is printed
    // per round (Kafka Streams creates its clients there, Weir in start()).
    for (String c : List.of("weir", "kafka-streams")) {
      assertThat(text)
          .containsPattern(
              "\\[W5 eos r1\\] "
                  + c
                  + ": \\d+\\.\\d\\d s of the ready time before the library's start\\(\\)");
    }
  }
}
