package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.WeirApplication;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart of every instance with static membership moves no task. Two instances, each
 * with its own {@code group.instance.id} and {@code state.dir}, run a running count per key under
 * steady input; each is closed and started again in turn, well within the session timeout. The
 * coordinator's assignment is the same after every restart, the instance that stays up creates,
 * closes and revokes no task meanwhile, and the restarted one creates exactly the tasks it had; the
 * whole output is every input once, with its count. Both instances run a liveness listener (design
 * record 021): a closing instance tells its watcher that it is leaving on purpose, so the watcher
 * does not remove it from the group while it restarts.
 */
class RollingRestartIT {
  private static final String APP = "rolling";
  private static final int PARTITIONS = 6;
  private static final int TASKS = 2 * PARTITIONS;
  private static final int KEYS = 30;

  @TempDir Path tmp;

  private WeirApplication start(String bootstrap, String name) {
    Properties p = Pipelines.appProps(bootstrap, APP, tmp.resolve(name));
    p.put("consumer." + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "rolling-" + name);
    // Long enough for a restart: the coordinator keeps a static member's tasks this long.
    p.put("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "60000");
    p.put(dev.weir.WeirConfig.LIVENESS_LISTENER_CONFIG, "127.0.0.1:0");
    WeirApplication app = new WeirApplication(Pipelines.runningCount("rr-in", "rr-out"), p);
    app.start();
    return app;
  }

  private static GroupView.Settled awaitSettled(Admin admin, Map<String, WeirApplication> apps) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptions()
        .until(() -> GroupView.settled(admin, APP, apps, TASKS), Objects::nonNull);
  }

  @Test
  void restartingEveryInstanceInTurnMovesNoTask() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("rr-in", PARTITIONS);
      kafka.createTopic("rr-out", 3);
      Map<String, WeirApplication> apps = new LinkedHashMap<>();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bs));
          GroupView.SteadyInput input = new GroupView.SteadyInput(bs, "rr-in", KEYS, 10)) {
        long t0 = System.nanoTime();
        apps.put("a", start(bs, "a"));
        apps.put("b", start(bs, "b"));
        input.start();
        GroupView.Settled settled = awaitSettled(admin, apps);
        System.out.printf(
            "RollingRestartIT: settled in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        Map<String, java.util.Set<String>> assignment = settled.partitions();

        for (String restarted : List.of("a", "b")) {
          String other = restarted.equals("a") ? "b" : "a";
          WeirApplication old = apps.get(restarted);
          // Revocations before this point belong to the start (an instance that joins first takes
          // every task and hands half over cooperatively when the other joins); the close must
          // add none.
          long revokedBefore = old.metricsSnapshot().get("tasks-revoked");
          long t1 = System.nanoTime();
          assertThat(old.close(Duration.ofSeconds(60))).isTrue();
          long closedMs = (System.nanoTime() - t1) / 1_000_000;
          assertThat(old.metricsSnapshot())
              .as("the stopped instance closed its tasks at shutdown, none revoked")
              .containsEntry("tasks-closed", old.metricsSnapshot().get("tasks-created"))
              .containsEntry("tasks-revoked", revokedBefore)
              .containsEntry("rollbacks", 0L);
          apps.put(restarted, start(bs, restarted));
          GroupView.Settled after = awaitSettled(admin, apps);
          System.out.printf(
              "RollingRestartIT: %s closed in %d ms, back and settled %d ms later%n",
              restarted, closedMs, (System.nanoTime() - t1) / 1_000_000 - closedMs);

          assertThat(after.partitions())
              .as("assignment after restarting " + restarted)
              .isEqualTo(assignment);
          for (String counter : List.of("tasks-created", "tasks-closed", "tasks-revoked")) {
            assertThat(after.counter(other, counter))
                .as(other + " while " + restarted + " restarted: " + counter)
                .isEqualTo(settled.counter(other, counter));
          }
          assertThat(after.counter(other, "rollbacks")).isZero();
          assertThat(after.counter(other, "peers-removed")).isZero();
          assertThat(after.counter(restarted, "tasks-created"))
              .isEqualTo(assignment.get(restarted).size());
          assertThat(after.counter(restarted, "tasks-closed")).isZero();
          assertThat(after.counter(restarted, "rollbacks")).isZero();
          settled = after;
        }

        int total = input.stop();
        long t2 = System.nanoTime();
        List<String> out =
            await()
                .atMost(Duration.ofSeconds(90))
                .until(
                    () -> Pipelines.readCommitted(bs, "rr-out", total, Duration.ofSeconds(5)),
                    o -> o.size() >= total);
        System.out.printf(
            "RollingRestartIT: %d records, output read in %d ms%n",
            total, (System.nanoTime() - t2) / 1_000_000);
        assertThat(Pipelines.countProblems(out, total, KEYS)).isEmpty();
        assertThat(out).hasSize(total);
      } finally {
        for (WeirApplication app : apps.values()) {
          app.close(Duration.ofSeconds(30));
        }
      }
    }
  }
}
