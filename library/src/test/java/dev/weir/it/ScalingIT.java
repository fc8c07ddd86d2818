package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.query.HostInfo;
import dev.weir.query.KeyQueryMetadata;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.query.StateQueryException;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scaling 2 -> 3 -> 2 instances under steady input, with cooperative rebalancing (the default) on
 * the real broker. A running count per key (state restored from its changelog wherever a task
 * moves) over 6 input partitions: 12 tasks. At each settled point the group's assignment is read
 * from the coordinator, and every instance's task counters must show that only the tasks that left
 * it were closed (revoked) and only those that came were created: a task that stays is never
 * closed, nor rolled back; and interactive queries follow the tasks. The whole output is compared
 * with the expected one at the end: every input once, with its count.
 */
class ScalingIT {
  private static final String APP = "scaling";
  private static final int PARTITIONS = 6;
  private static final int TASKS = 2 * PARTITIONS; // the sources, and the counters after keyBy
  private static final int KEYS = 30;

  @TempDir Path tmp;

  private WeirApplication start(String bootstrap, String name) {
    Properties props = Pipelines.appProps(bootstrap, APP, tmp.resolve(name));
    props.put(WeirConfig.APPLICATION_SERVER_CONFIG, server(name));
    WeirApplication app = new WeirApplication(Pipelines.runningCount("sc-in", "sc-out"), props);
    app.start();
    return app;
  }

  /** The {@code application.server} of instance {@code name} (nothing listens on it). */
  private static String server(String name) {
    return name + ".test:" + (8000 + name.charAt(0));
  }

  /**
   * Interactive queries follow the tasks: every instance's host map names, for every key, the
   * instance whose consumer holds the key's counter partition; that instance answers a query for
   * the key and every other one refuses it as not hosted. Checked after each scaling step, so the
   * instances' registries and host maps must have followed the cooperative moves, not only a full
   * rebalance.
   */
  private static void queriesRouteToTheOwners(
      GroupView.Settled settled, Map<String, WeirApplication> apps) {
    StateQuery<String, Long> count =
        StateQuery.value(
            "counter", new ValueStateDescriptor<>("count", Serdes.Long(), 0L), Serdes.String());
    for (int k = 0; k < KEYS; k++) {
      String key = "k" + k;
      String owner = null;
      for (Map.Entry<String, WeirApplication> e : apps.entrySet()) {
        KeyQueryMetadata m =
            e.getValue().queryMetadataForKey("counter", key, new StringSerializer());
        String counterPartition = APP + "-by-key-repartition-" + m.partition();
        for (Map.Entry<String, Set<String>> held : settled.partitions().entrySet()) {
          if (held.getValue().contains(counterPartition)) {
            owner = held.getKey();
          }
        }
        assertThat(m.activeHost())
            .as("instance %s: the active host of %s", e.getKey(), key)
            .contains(HostInfo.parse(server(owner)));
      }
      for (Map.Entry<String, WeirApplication> e : apps.entrySet()) {
        ReadOnlyKeyedState<String, Long> view = e.getValue().query(count);
        if (e.getKey().equals(owner)) {
          view.get(key); // answered: the owner runs the task
        } else {
          assertThatThrownBy(() -> view.get(key))
              .as("instance %s: a query for %s, run by %s", e.getKey(), key, owner)
              .isInstanceOfSatisfying(
                  StateQueryException.class,
                  x -> assertThat(x.reason()).isEqualTo(StateQueryException.Reason.NOT_HOSTED));
        }
      }
    }
  }

  private static GroupView.Settled awaitSettled(Admin admin, Map<String, WeirApplication> apps) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptions()
        .until(() -> GroupView.settled(admin, APP, apps, TASKS), Objects::nonNull);
  }

  /**
   * Between two settled points, instance {@code x} created exactly the tasks it gained and closed
   * (by revocation) exactly those it lost, and never rolled back.
   */
  private static void onlyMovedTasksChanged(
      GroupView.Settled before, GroupView.Settled after, String x) {
    Set<String> lost = new TreeSet<>(before.partitions().get(x));
    lost.removeAll(after.partitions().get(x));
    Set<String> gained = new TreeSet<>(after.partitions().get(x));
    gained.removeAll(before.partitions().get(x));
    String what = "instance " + x + ": lost " + lost + ", gained " + gained;
    assertThat(after.counter(x, "tasks-closed") - before.counter(x, "tasks-closed"))
        .as(what + ": tasks closed")
        .isEqualTo(lost.size());
    assertThat(after.counter(x, "tasks-revoked") - before.counter(x, "tasks-revoked"))
        .as(what + ": tasks revoked")
        .isEqualTo(lost.size());
    assertThat(after.counter(x, "tasks-created") - before.counter(x, "tasks-created"))
        .as(what + ": tasks created")
        .isEqualTo(gained.size());
    assertThat(after.counter(x, "rollbacks")).as(what + ": rollbacks").isZero();
  }

  @Test
  void scalingTwoThreeTwoClosesOnlyTasksThatMoveAndOutputsEveryRecordOnce() throws Exception {
    try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(1)) {
      String bs = kafka.bootstrapServers();
      kafka.createTopic("sc-in", PARTITIONS);
      kafka.createTopic("sc-out", 3);
      Map<String, WeirApplication> apps = new LinkedHashMap<>();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bs));
          GroupView.SteadyInput input = new GroupView.SteadyInput(bs, "sc-in", KEYS, 10)) {
        apps.put("a", start(bs, "a"));
        apps.put("b", start(bs, "b"));
        input.start();
        GroupView.Settled two = awaitSettled(admin, apps);
        assertThat(two.partitions().get("a")).hasSize(TASKS / 2);
        queriesRouteToTheOwners(two, apps);

        // 2 -> 3: c takes two tasks from each; a and b close exactly those.
        int before = input.written();
        apps.put("c", start(bs, "c"));
        GroupView.Settled three = awaitSettled(admin, apps);
        onlyMovedTasksChanged(two, three, "a");
        onlyMovedTasksChanged(two, three, "b");
        assertThat(three.partitions().get("c")).hasSize(TASKS / 3);
        assertThat(three.counter("c", "tasks-created")).isEqualTo(TASKS / 3);
        assertThat(three.counter("c", "tasks-closed")).isZero();
        assertThat(input.written()).as("input kept coming while scaling").isGreaterThan(before);
        queriesRouteToTheOwners(three, apps);

        // 3 -> 2: c leaves cleanly; a and b take its tasks and close none of theirs.
        WeirApplication c = apps.remove("c");
        assertThat(c.close(Duration.ofSeconds(60))).isTrue();
        GroupView.Settled back = awaitSettled(admin, apps);
        onlyMovedTasksChanged(three, back, "a");
        onlyMovedTasksChanged(three, back, "b");
        assertThat(back.partitions().get("a")).containsAll(three.partitions().get("a"));
        assertThat(back.partitions().get("b")).containsAll(three.partitions().get("b"));
        queriesRouteToTheOwners(back, apps);
        assertThat(c.metricsSnapshot())
            .containsEntry("tasks-closed", (long) TASKS / 3)
            .containsEntry("tasks-revoked", 0L)
            .containsEntry("rollbacks", 0L);

        int total = input.stop();
        List<String> out =
            await()
                .atMost(Duration.ofSeconds(90))
                .until(
                    () -> Pipelines.readCommitted(bs, "sc-out", total, Duration.ofSeconds(5)),
                    o -> o.size() >= total);
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
