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
 * The harness end to end on a tiny data set: a broker, one round of W1 with every contender in both
 * modes, output checks, and the ratio lines last. No timing is asserted.
 */
class PerfSmokeIT {

  @Test
  void w1EndsWithOneRatioLinePerMode(@TempDir Path work) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

    int code =
        PerfMain.run(
            PerfOptions.parse(
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
                work.toString()),
            out);

    String text = buffer.toString(StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    assertThat(code).as(text).isZero();
    assertThat(lines.get(lines.size() - 2))
        .as(text)
        .matches("ratio W1 eos weir/kafka-streams=\\d+\\.\\d\\d weir/raw=\\d+\\.\\d\\d");
    assertThat(lines.get(lines.size() - 1))
        .as(text)
        .matches("ratio W1 alos weir/kafka-streams=\\d+\\.\\d\\d weir/raw=\\d+\\.\\d\\d");
  }
}
