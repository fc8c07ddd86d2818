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
 * Peer liveness (design record 021) against a real broker and a real {@code kill -9}: two instances
 * of the running count with static membership, a 60 s session timeout and a liveness listener each.
 * The instance running the stateful task is killed; the group would keep its members for 60 s, so
 * the task can move within this test's 45 s only because the survivor saw the dead instance's
 * listener go and removed its member (its {@code peers-removed} metric says so). The output,
 * failover included, must be every input exactly once with its count.
 */
class LivenessFailoverIT {
  private static final int KEYS = 2_000;
  private static final int TAIL = 1_000;

  @TempDir Path tmp;

  private JavaProcess instance(String bootstrap, String dir) throws Exception {
    return StandbyFailoverIT.start(
        "liveness-" + dir,
        bootstrap,
        "liveness-count",
        tmp.resolve(dir),
        "lv-in",
        "lv-out",
        "liveness-" + dir);
  }

  @Test
  void aKilledInstanceIsRemovedByItsPeerLongBeforeTheSessionTimeout() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("lv-in", 1);
      kafka.createTopic("lv-out", 1);
      List<JavaProcess> all = new ArrayList<>();
      try {
        JavaProcess a = instance(bs, "a");
        JavaProcess b = instance(bs, "b");
        all.add(a);
        all.add(b);
        JavaProcess active = StandbyFailoverIT.awaitOneTaskEach(a, b);
        JavaProcess survivor = active == a ? b : a;

        Pipelines.produce(bs, "lv-in", 0, KEYS, KEYS);
        assertThat(Pipelines.readCommitted(bs, "lv-out", KEYS, Duration.ofSeconds(120)))
            .hasSize(KEYS);

        Pipelines.produce(bs, "lv-in", KEYS, KEYS + TAIL, KEYS);
        long killedAt = System.nanoTime();
        active.kill();
        assertThat(active.waitFor(Duration.ofSeconds(10))).isTrue();

        // Under the 60 s session timeout the group alone would not move anything yet.
        await()
            .atMost(Duration.ofSeconds(45))
            .until(
                () -> {
                  long[] m = StandbyFailoverIT.metrics(survivor);
                  return m[4] == 1 && m[0] == 2;
                });
        long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertThat(StandbyFailoverIT.metrics(survivor)[5]).as("peers removed").isEqualTo(1);

        List<String> out =
            Pipelines.readCommitted(bs, "lv-out", KEYS + TAIL, Duration.ofSeconds(120));
        assertThat(Pipelines.countProblems(out, KEYS + TAIL, KEYS)).isEmpty();
        assertThat(out).hasSize(KEYS + TAIL);
        System.out.printf(
            "LivenessFailoverIT: killed instance removed and its task running elsewhere in %d ms%n",
            failoverMs);
      } finally {
        for (JavaProcess p : all) {
          p.kill();
        }
      }
    }
  }
}
