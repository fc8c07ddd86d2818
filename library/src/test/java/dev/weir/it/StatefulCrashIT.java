package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyed state under crashes: a running count per key in a child JVM that is killed with SIGKILL
 * mid-transaction several times and restarted on its state directory. Each restart must replay only
 * the changelog tail written after its last local commit (asserted on the restored-record count,
 * not on time); the task then moves to an instance with an empty state directory, which must
 * restore everything from the changelog. The output must show every input once with the count a
 * failure-free run gives.
 */
class StatefulCrashIT {
  private static final int KEYS = 50;
  private static final int BATCH = 3_000;

  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap, String dir) throws Exception {
    return JavaProcess.builder(PipelineMain.class)
        .name("count-" + dir)
        .args(bootstrap, "counting", tmp.resolve(dir).toString(), "count-in", "count-out", "count")
        .jvmOptions("-Xmx256m", "-XX:+UseSerialGC", "-Dweir.it.recordDelayMs=1")
        .logFile(Path.of("target", "it-logs", "count-" + dir + "-" + System.nanoTime() + ".log"))
        .start();
  }

  /** The restored-record count the instance printed when it reached RUNNING. */
  private static long restored(JavaProcess p) {
    long[] value = {-1};
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (String line : Files.readAllLines(p.logFile())) {
                if (line.startsWith("RESTORED ")) {
                  value[0] = Long.parseLong(line.substring(9).trim());
                  return true;
                }
              }
              return false;
            });
    return value[0];
  }

  @Test
  void restartReplaysOnlyTheChangelogTailAndAMovedTaskRestoresEverything() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("count-in", 2);
      kafka.createTopic("count-out", 2);
      List<JavaProcess> all = new ArrayList<>();
      try {
        JavaProcess a = instance(bs, "a");
        all.add(a);
        assertThat(restored(a)).as("first start: nothing to restore").isZero();
        int total = 0;
        List<Long> restoredAfterCrash = new ArrayList<>();
        for (int crash = 0; crash < 3; crash++) {
          Pipelines.produce(bs, "count-in", total, total + BATCH, KEYS);
          int halfway = total + BATCH / 2;
          total += BATCH;
          // Kill while it is working through the batch, so a transaction is open.
          await()
              .atMost(Duration.ofSeconds(90))
              .until(
                  () ->
                      Pipelines.readCommitted(bs, "count-out", halfway, Duration.ofSeconds(2))
                              .size()
                          >= halfway);
          a.kill();
          assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
          a = instance(bs, "a");
          all.add(a);
          restoredAfterCrash.add(restored(a));
        }
        List<String> out = Pipelines.readCommitted(bs, "count-out", total, Duration.ofSeconds(90));
        assertThat(Pipelines.countProblems(out, total, KEYS)).isEmpty();
        // Without local state each restart would replay the whole changelog: one record per key
        // and commit so far, thousands. Only transactions committed but not yet applied locally
        // (the kill fell between the Kafka commit and the local apply) may be replayed: at most
        // one commit's worth, at most one record per key.
        assertThat(restoredAfterCrash).allSatisfy(n -> assertThat(n).isBetween(0L, (long) KEYS));

        // Move the task: the instance dies for good and one with an empty state dir takes over.
        a.kill();
        assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
        JavaProcess b = instance(bs, "b");
        all.add(b);
        assertThat(restored(b))
            .as("a new instance restores every key")
            .isGreaterThanOrEqualTo(KEYS);
        Pipelines.produce(bs, "count-in", total, total + BATCH, KEYS);
        total += BATCH;
        out = Pipelines.readCommitted(bs, "count-out", total, Duration.ofSeconds(90));
        assertThat(Pipelines.countProblems(out, total, KEYS)).isEmpty();
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }
}
