package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.testkit.JavaProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the crash ITs share: starting a Weir instance in a child JVM (so that a test can kill it
 * with SIGKILL) and checking that a read_committed output holds every input exactly once.
 */
final class CrashRuns {
  private CrashRuns() {}

  /**
   * Starts {@code main} in a child JVM with a small heap and the serial collector (several
   * instances and a broker share the build machine), logging to {@code
   * target/it-logs/<name>-<nanos>.log}.
   *
   * @param main the class whose {@code main} runs the instance
   * @param name the instance's name in logs and its log file's
   * @param args the arguments of {@code main}
   * @param jvmOptions JVM options besides the heap and collector, such as system properties
   * @return the started process; the caller kills it
   * @throws Exception when the JVM cannot be started
   */
  static JavaProcess start(Class<?> main, String name, List<String> args, String... jvmOptions)
      throws Exception {
    return JavaProcess.builder(main)
        .name(name)
        .args(args)
        .jvmOptions(
            Stream.concat(Stream.of("-Xmx256m", "-XX:+UseSerialGC"), Stream.of(jvmOptions))
                .toList())
        .logFile(Path.of("target", "it-logs", name + "-" + System.nanoTime() + ".log"))
        .start();
  }

  /**
   * Asserts that the outputs ("key:seq:...") hold each seq of 0..total-1 exactly once and nothing
   * else, naming the lost and the duplicated seqs.
   */
  static void assertEachSeqOnce(List<String> outputs, int total) {
    Map<Integer, Integer> counts = Pipelines.countBySeq(outputs);
    List<Integer> lost = new ArrayList<>();
    List<Integer> doubled = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      int c = counts.getOrDefault(i, 0);
      if (c == 0) {
        lost.add(i);
      } else if (c > 1) {
        doubled.add(i);
      }
    }
    assertThat(lost).as("lost").isEmpty();
    assertThat(doubled).as("duplicated").isEmpty();
    assertThat(outputs).hasSize(total);
  }
}
