package dev.weir.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's demo, small: an embedded broker, two instances in child JVMs, one killed with {@code
 * kill -9} and restarted, and the output checked against the expected result.
 */
class DemoIT {
  @Test
  void theDemoFindsExactlyTheExpectedOutputAfterAKill() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Demo.Result result;
    try (PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      // Logs stay in target/demo-it/<run>/ for when this fails.
      result = Demo.run(new Demo.Options(null, 4_000, Path.of("target", "demo-it"), -1), console);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(result.ok()).as(output).isTrue();
    assertThat(result.windows().expected()).as(output).isPositive();
    assertThat(output)
        .contains(">> kill -9 instance B")
        .contains("lost=0 duplicated=0 wrong=0  (exactly_once, 2 instances");
  }
}
