package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.task.TaskId;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The interactive-query fields of the assignor's wire format, version 2. */
class HostMetadataTest {
  @Test
  void goldenBytesOfTheServerField() {
    ByteBuffer b = ByteBuffer.allocate(HostMetadata.serverSize("h:1"));
    HostMetadata.writeServer(b, "h:1");
    assertThat(HexFormat.of().formatHex(b.array())).isEqualTo("00000003" + "683a31");
    ByteBuffer none = ByteBuffer.allocate(HostMetadata.serverSize(null));
    HostMetadata.writeServer(none, null);
    assertThat(HexFormat.of().formatHex(none.array())).isEqualTo("ffffffff");
    assertThat(HostMetadata.readServer(none.flip())).isNull();
    assertThat(HostMetadata.readServer(ByteBuffer.allocate(0))).isNull(); // version 1: absent
  }

  @Test
  void goldenBytesOfTheHostMap() {
    HostMetadata.Hosts hosts =
        new HostMetadata.Hosts(
            Map.of("b:2", Set.of(new TaskId(1, 1)), "a:1", Set.of(new TaskId(1, 0))),
            Map.of("a:1", Set.of(new TaskId(1, 1))));
    ByteBuffer b = ByteBuffer.allocate(HostMetadata.hostsSize(hosts));
    HostMetadata.writeHosts(b, hosts);
    assertThat(HexFormat.of().formatHex(b.array()))
        .isEqualTo(
            "00000002"
                // a:1 runs 1_0, keeps a standby of 1_1
                + "00000003"
                + "613a31"
                + "00000001"
                + "0000000100000000"
                + "00000001"
                + "0000000100000001"
                // b:2 runs 1_1, no standby
                + "00000003"
                + "623a32"
                + "00000001"
                + "0000000100000001"
                + "00000000");
    HostMetadata.Hosts read = HostMetadata.readHosts(b.flip());
    assertThat(read).isEqualTo(hosts);
    assertThat(read.activeOf(new TaskId(1, 1))).isEqualTo("b:2");
    assertThat(read.standbysOf(new TaskId(1, 1))).containsExactly("a:1");
    assertThat(HostMetadata.readHosts(ByteBuffer.allocate(0))).isEqualTo(HostMetadata.Hosts.NONE);
  }

  @Test
  void everyMemberLearnsWhichServerRunsEachTask() {
    StreamBuilder builder = new StreamBuilder();
    builder
        .fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(
            v -> v,
            Serdes.String(),
            Repartition.<String>named("by-v").withValueSerde(Serdes.String()))
        .map(v -> v)
        .name("after")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    Plan plan = TopologyAccess.plan(builder.build(), "app");
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
    AtomicReference<HostMetadata.Hosts> seenByA = new AtomicReference<>();
    TaskAssignor a = assignor(plan, "a", "a.example:8080", seenByA);
    TaskAssignor b = assignor(plan, "b", "b.example:8080", new AtomicReference<>());
    TaskAssignor c = assignor(plan, "c", null, new AtomicReference<>());
    Map<String, Subscription> subs =
        Map.of(
            "m-a", new Subscription(List.of("in"), a.subscriptionUserData(Set.of())),
            "m-b", new Subscription(List.of("in"), b.subscriptionUserData(Set.of())),
            "m-c", new Subscription(List.of("in"), c.subscriptionUserData(Set.of())));
    assertThat(
            TaskAssignor.decodeSubscription("m-a", subs.get("m-a").userData()).applicationServer())
        .isEqualTo("a.example:8080");

    GroupAssignment result = a.assign(cluster, new GroupSubscription(subs));
    a.onAssignment(result.groupAssignment().get("m-a"), null);

    // Members are sorted by id; the balance gives m-a and m-b one or two tasks each, m-c the rest.
    Map<String, List<TaskId>> byMember =
        TaskAssignor.balance(
            List.of(new TaskId(0, 0), new TaskId(0, 1), new TaskId(1, 0), new TaskId(1, 1)),
            List.of(
                new TaskAssignor.MemberInfo("m-a", "a", 0, false, Set.of()),
                new TaskAssignor.MemberInfo("m-b", "b", 0, false, Set.of()),
                new TaskAssignor.MemberInfo("m-c", "c", 0, false, Set.of())));
    assertThat(seenByA.get())
        .isEqualTo(
            new HostMetadata.Hosts(
                Map.of(
                    "a.example:8080", Set.copyOf(byMember.get("m-a")),
                    "b.example:8080", Set.copyOf(byMember.get("m-b"))),
                Map.of()));
  }

  private static TaskAssignor assignor(
      Plan plan, String instance, String server, AtomicReference<HostMetadata.Hosts> seen) {
    AssignorContext ctx = new AssignorContext(plan, instance, 0, new AtomicBoolean());
    ctx.applicationServer = server;
    ctx.hostsListener = seen::set;
    TaskAssignor t = new TaskAssignor();
    t.configure(Map.of(AssignorContext.CONFIG_KEY, ctx));
    return t;
  }
}
