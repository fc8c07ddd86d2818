package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AsyncFunction;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.task.TaskId;
import dev.weir.stream.AsyncDataStream;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.windowing.TumblingEventTimeWindows;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The leader gives tasks only to members running its topology; the others learn why. */
class TopologyFingerprintTest {
  /** in -> [map] -> (keyBy, when {@code exchange}) -> out. */
  private static Plan plan(boolean exchange, boolean extraMap) {
    StreamBuilder b = new StreamBuilder();
    var s = b.fromSource(KafkaSource.topic("in", Serdes.String()), "in");
    if (extraMap) {
      s = s.map(v -> v + "!").name("shout");
    }
    if (exchange) {
      s =
          s.keyBy(
                  v -> v,
                  Serdes.String(),
                  Repartition.<String>named("by-v").withValueSerde(Serdes.String()))
              .map(v -> v)
              .name("after");
    }
    s.sinkTo(KafkaSink.topic("out", Serdes.String()));
    return TopologyAccess.plan(b.build(), "app");
  }

  private static TaskAssignor assignor(Plan plan, String instance) {
    TaskAssignor a = new TaskAssignor();
    a.configure(
        Map.of(
            AssignorContext.CONFIG_KEY,
            new AssignorContext(plan, instance, 0, new AtomicBoolean())));
    return a;
  }

  private static AssignorContext context(TaskAssignor a) throws ReflectiveOperationException {
    var f = TaskAssignor.class.getDeclaredField("context");
    f.setAccessible(true);
    return (AssignorContext) f.get(a);
  }

  @Test
  void stableForTheSameTopologyAndBlindToStatelessOperators() {
    assertThat(TopologyFingerprint.of(plan(true, false)))
        .isEqualTo(TopologyFingerprint.of(plan(true, false)))
        .isEqualTo(TopologyFingerprint.of(plan(true, true)))
        .isNotEqualTo(TopologyFingerprint.of(plan(false, false)))
        .hasSize(16);
  }

  @Test
  void aMemberWithAnotherTopologyGetsNoTasksAndAnErrorNamingBothFingerprints()
      throws ReflectiveOperationException {
    Plan mine = plan(true, false);
    Plan theirs = plan(false, false);
    TaskAssignor leader = assignor(mine, "a");
    TaskAssignor same = assignor(mine, "b");
    TaskAssignor other = assignor(theirs, "c");
    Node n = new Node(0, "h", 1);
    Cluster cluster =
        new Cluster(
            "c",
            List.of(n),
            List.of(
                new PartitionInfo("in", 0, n, null, null),
                new PartitionInfo("in", 1, n, null, null),
                new PartitionInfo("app-by-v-repartition", 0, n, null, null),
                new PartitionInfo("app-by-v-repartition", 1, n, null, null)),
            Set.of(),
            Set.of());
    Map<String, Subscription> subs =
        Map.of(
            "m-a", new Subscription(List.of("in"), leader.subscriptionUserData(Set.of())),
            "m-b", new Subscription(List.of("in"), same.subscriptionUserData(Set.of())),
            "m-c", new Subscription(List.of("in"), other.subscriptionUserData(Set.of())));

    GroupAssignment result = leader.assign(cluster, new GroupSubscription(subs));

    Assignment toOther = result.groupAssignment().get("m-c");
    assertThat(toOther.partitions()).isEmpty();
    other.onAssignment(toOther, null);
    AssignorContext c = context(other);
    assertThat(c.errorCode).isEqualTo(TaskAssignor.ERROR_TOPOLOGY_MISMATCH);
    assertThat(c.leaderFingerprint).isEqualTo(TopologyFingerprint.of(mine));
    assertThat(c.assignedTasks).isEmpty();
    // The two members with the leader's topology share all four tasks.
    int tasks = 0;
    for (String m : List.of("m-a", "m-b")) {
      TaskAssignor a = m.equals("m-a") ? leader : same;
      a.onAssignment(result.groupAssignment().get(m), null);
      assertThat(context(a).errorCode).isEqualTo(TaskAssignor.ERROR_NONE);
      tasks += context(a).assignedTasks.size();
    }
    assertThat(tasks).isEqualTo(4);

    assertThatThrownBy(
            () -> {
              throw new StreamThread.TopologyMismatch(
                  "app", c.fingerprint, c.leaderFingerprint, "");
            })
        .hasMessage(
            "This instance of application 'app' runs topology "
                + TopologyFingerprint.of(theirs)
                + " but the group's leader runs topology "
                + TopologyFingerprint.of(mine)
                + ", so the leader gave it no tasks. All instances of an application must run"
                + " the same topology (sub-topologies, exchanges, state stores). To change the"
                + " topology, stop every instance, then start the new version; or deploy it"
                + " under a new application.id. See docs/operations.md, 'Upgrading a running"
                + " application'.");
  }

  /** in -> orderedWait 'lookup' (its input has a serde when {@code serde}) -> out. */
  private static Plan asyncPlan(boolean serde) {
    StreamBuilder b = new StreamBuilder();
    DataStream<String> s = b.fromSource(KafkaSource.topic("in", Serdes.String()), "in");
    if (!serde) {
      s = s.map(v -> v).name("no-serde"); // a map without .returns(serde): the type is lost
    }
    AsyncFunction<String, String> echo = (v, result) -> result.complete(List.of(v));
    AsyncDataStream.orderedWait(s, echo, 1, TimeUnit.SECONDS, 10)
        .name("lookup")
        .uid("lookup")
        .returns(Serdes.String())
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return TopologyAccess.plan(b.build(), "app");
  }

  @Test
  void anAsyncOperatorThatKeepsRequestsInAStoreExplainsTheUpgradeInTheMismatchReport() {
    Plan stored = asyncPlan(true);
    Plan drained = asyncPlan(false);
    // The store is a new changelog topic, so a Weir before record 015 runs another topology.
    assertThat(TopologyFingerprint.of(stored)).isNotEqualTo(TopologyFingerprint.of(drained));
    assertThat(TopologyFingerprint.asyncUpgradeNote(drained)).isEmpty();
    assertThat(TopologyFingerprint.asyncUpgradeNote(null)).isEmpty();
    assertThat(
            new StreamThread.TopologyMismatch(
                    "app", "mine", "theirs", TopologyFingerprint.asyncUpgradeNote(stored))
                .getMessage())
        .endsWith(
            "See docs/operations.md, 'Upgrading a running application'. If the other instances"
                + " run an older Weir: since design record 015 an async operator whose input has"
                + " a serde keeps its requests in flight at a commit in a store (here operator"
                + " 'lookup', changelog topic 'app-lookup-changelog'), which older versions do"
                + " not have, so this upgrade needs every instance stopped once (see"
                + " docs/async-io.md, 'Upgrading from a version that drained at every commit').");
  }

  /** in -> keyBy -> (a 1 s tumbling window reducing, when {@code window}) -> out. */
  private static Plan windowPlan(boolean window) {
    StreamBuilder b = new StreamBuilder();
    var keyed =
        b.fromSource(
                KafkaSource.topic("in", Serdes.String()),
                WatermarkStrategy.<String>forMonotonousTimestamps(),
                "in")
            .keyBy(
                v -> v,
                Serdes.String(),
                Repartition.<String>named("by-v").withValueSerde(Serdes.String()));
    DataStream<String> out =
        window
            ? keyed
                .window(TumblingEventTimeWindows.of(Duration.ofSeconds(1)))
                .reduce((x, y) -> x + y)
                .name("joined")
            : keyed.reduce((x, y) -> x + y).name("joined");
    out.sinkTo(KafkaSink.topic("out", Serdes.String()));
    return TopologyAccess.plan(b.build(), "app");
  }

  @Test
  void aWindowOperatorNamesTheLayoutOfWindowListsAndExplainsTheUpgradeInTheMismatchReport() {
    Plan windowed = windowPlan(true);
    Plan rolling = windowPlan(false);
    // The same stores and topics: only the layout line tells them apart, which a Weir before
    // record 032 did not write, so old and new instances of a windowed topology disagree.
    assertThat(TopologyFingerprint.canonical(windowed))
        .isEqualTo(
            TopologyFingerprint.canonical(rolling)
                + "window lists batched (design record 032) in {joined=app-joined-changelog}\n");
    assertThat(TopologyFingerprint.of(windowed)).isNotEqualTo(TopologyFingerprint.of(rolling));
    assertThat(TopologyFingerprint.windowUpgradeNote(rolling)).isEmpty();
    assertThat(TopologyFingerprint.windowUpgradeNote(null)).isEmpty();
    assertThat(
            new StreamThread.TopologyMismatch(
                    "app", "mine", "theirs", TopologyFingerprint.windowUpgradeNote(windowed))
                .getMessage())
        .endsWith(
            "See docs/operations.md, 'Upgrading a running application'. If the other instances"
                + " run an older Weir: since design record 032 window operators keep their lists"
                + " in a new layout (here operator 'joined', changelog topic"
                + " 'app-joined-changelog'), which older versions cannot read, so this upgrade"
                + " needs every"
                + " instance stopped once (see docs/operations.md, 'Rolling upgrades').");
  }

  @Test
  void aSubscriptionWithoutAFingerprintIsNotChecked() {
    ByteBuffer old = ByteBuffer.allocate(1 + 4 + 1 + 4 + 1 + 4);
    old.put(TaskAssignor.VERSION).putInt(1).put((byte) 'x').putInt(0).put((byte) 0).putInt(0);
    var decoded = TaskAssignor.decodeSubscription("m", old.flip());
    assertThat(decoded.fingerprint()).isNull();
    assertThat(decoded.owned()).isEqualTo(Set.<TaskId>of());
  }
}
