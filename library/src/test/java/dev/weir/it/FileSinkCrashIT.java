package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once file sink on the real broker, two instances in child JVMs: one halts at each
 * step of the two-phase-commit protocol in turn (after the pre-commit, after the Kafka commit,
 * after the file commit, during recovery) and restarts; the other is killed with SIGKILL at moments
 * chosen by the output's progress and restarts. Afterwards the finished files hold every input line
 * exactly once and nothing else.
 */
class FileSinkCrashIT {
  private static final String IN = "files-in";
  private static final int BATCH = 1_000;

  @TempDir Path tmp;

  private JavaProcess instance(String bs, String name, String crash, int n) throws Exception {
    return JavaProcess.builder(FileSinkMain.class)
        .name(name)
        .args(
            bs,
            "files",
            tmp.resolve("state-" + name).toString(),
            IN,
            tmp.resolve("out").toString(),
            crash,
            Integer.toString(n))
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
        .logFile(Path.of("target", "it-logs", "files-" + name + "-" + System.nanoTime() + ".log"))
        .start();
  }

  @Test
  void crashesAtEveryProtocolStepLoseAndDoubleNoLine() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic(IN, 4);
      List<JavaProcess> all = new ArrayList<>();
      try {
        int total = 0;
        String[] points = {"after-pre-commit", "after-kafka-commit", "after-file-commit"};
        for (String point : points) {
          JavaProcess a = instance(bs, "a", point, 3);
          all.add(a);
          Pipelines.produce(bs, IN, total, total + BATCH, 32);
          total += BATCH;
          assertThat(a.waitFor(Duration.ofSeconds(60))).as("halts " + point).isTrue();
          assertThat(a.exitCode()).hasValue(FileSinkMain.HALTED);
        }
        // SIGKILL at a moment the output's progress picks, while a batch is being written.
        JavaProcess a = instance(bs, "a", "none", 0);
        all.add(a);
        Pipelines.produce(bs, IN, total, total + BATCH, 32);
        total += BATCH;
        int seen = total - BATCH / 2;
        await().atMost(Duration.ofSeconds(60)).until(() -> lines().size() >= seen);
        a.kill();
        assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
        // A restart that halts while it commits the handle it restored.
        a = instance(bs, "a", "in-recovery", 0);
        all.add(a);
        assertThat(a.waitFor(Duration.ofSeconds(60))).as("halts in recovery").isTrue();
        assertThat(a.exitCode()).hasValue(FileSinkMain.HALTED);
        a = instance(bs, "a", "none", 0);
        all.add(a);
        Pipelines.produce(bs, IN, total, total + BATCH, 32);
        total += BATCH;

        int expected = total;
        await().atMost(Duration.ofSeconds(60)).until(() -> lines().size() >= expected);
        Map<Integer, Integer> counts = Pipelines.countBySeq(lines());
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
        assertThat(lines()).hasSize(total).allMatch(l -> l.matches("k\\d+:\\d+:tagged"));
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }

  /** Every line of every finished part file (hidden in-progress and pending files excluded). */
  private List<String> lines() {
    Path out = tmp.resolve("out");
    if (!Files.isDirectory(out)) {
      return List.of();
    }
    Map<Path, List<String>> byFile = new TreeMap<>();
    while (true) {
      byFile.clear();
      try (Stream<Path> files = Files.walk(out)) {
        for (Path p : files.filter(Files::isRegularFile).toList()) {
          if (!p.getFileName().toString().startsWith(".")) {
            byFile.put(p, Files.readAllLines(p));
          }
        }
        break;
      } catch (java.nio.file.NoSuchFileException e) {
        continue; // a hidden part was renamed or deleted while listed: list again
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
          throw e;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    List<String> all = new ArrayList<>();
    byFile.values().forEach(all::addAll);
    return all;
  }
}
