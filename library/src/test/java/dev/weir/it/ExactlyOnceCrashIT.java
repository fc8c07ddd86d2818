package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.testkit.EmbeddedKafkaCluster;
import dev.weir.testkit.JavaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances in child JVMs; one is killed with SIGKILL in the middle of the run (its open
 * transaction abandoned), the other takes over, the killed one is restarted with its state dir. A
 * read_committed reader must find every input exactly once in the output.
 */
class ExactlyOnceCrashIT {
  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap, String name) throws Exception {
    return CrashRuns.start(
        PipelineMain.class,
        "crash-" + name,
        List.of(bootstrap, "crash", tmp.resolve(name).toString(), "crash-in", "crash-out"));
  }

  @Test
  void killedInstanceLosesAndDoublesNothing() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("crash-in", 4);
      kafka.createTopic("crash-out", 4);
      List<JavaProcess> all = new ArrayList<>();
      try {
        JavaProcess a = instance(bs, "a");
        JavaProcess b = instance(bs, "b");
        all.add(a);
        all.add(b);
        int total = 0;
        // Produce while the instances run, kill one when about a third came out.
        for (int batch = 0; batch < 3; batch++) {
          Pipelines.produce(bs, "crash-in", total, total + 4_000, 64);
          total += 4_000;
        }
        int third = total / 3;
        await()
            .atMost(Duration.ofSeconds(90))
            .until(
                () ->
                    Pipelines.readCommitted(bs, "crash-out", third, Duration.ofSeconds(5)).size()
                        >= third);
        a.kill();
        assertThat(a.waitFor(Duration.ofSeconds(10))).isTrue();
        Pipelines.produce(bs, "crash-in", total, total + 4_000, 64);
        total += 4_000;
        JavaProcess a2 = instance(bs, "a");
        all.add(a2);
        Pipelines.produce(bs, "crash-in", total, total + 4_000, 64);
        total += 4_000;
        List<String> out = Pipelines.readCommitted(bs, "crash-out", total, Duration.ofSeconds(120));
        CrashRuns.assertEachSeqOnce(out, total);
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }
}
