package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.internal.task.TaskId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.junit.jupiter.api.Test;

/**
 * The newest assignor wire formats (subscription 3, assignment 3): task offset sums, standbys and
 * warm-ups, then the interactive-query fields of {@link HostMetadata}; and the older versions a
 * leader still reads and answers.
 */
class ReplicaWireTest {
  private static final TaskId A = new TaskId(0, 1);
  private static final TaskId B = new TaskId(1, 3);

  @Test
  void aSubscriptionCarriesTheOffsetSumsAndTheStandbysHeld() {
    AssignorContext ctx = new AssignorContext(null, "inst-1", 2, new AtomicBoolean(), "fp");
    ctx.ownedTasks = Set.of(A);
    ctx.offsetSums = () -> Map.of(A, TaskLags.RUNNING_ACTIVE, B, 12_345L);
    ctx.standbysHeld = () -> Set.of(B);
    TaskAssignor assignor = new TaskAssignor();
    assignor.configure(Map.of(AssignorContext.CONFIG_KEY, ctx));
    TaskAssignor.MemberInfo m =
        TaskAssignor.decodeSubscription("m", assignor.subscriptionUserData(Set.of()));
    assertThat(m.version()).isEqualTo(3);
    assertThat(m.fingerprint()).isEqualTo("fp");
    assertThat(m.owned()).containsExactly(A);
    assertThat(m.offsetSums()).isEqualTo(Map.of(A, TaskLags.RUNNING_ACTIVE, B, 12_345L));
    assertThat(m.standbys()).containsExactly(B);
  }

  @Test
  void aVersion1SubscriptionDecodesWithoutReplicaFields() {
    byte[] fp = "fp".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ByteBuffer v1 = ByteBuffer.allocate(1 + 4 + 1 + 4 + 1 + 4 + 8 + 4 + fp.length);
    v1.put((byte) 1).putInt(1).put((byte) 'x').putInt(0).put((byte) 0);
    v1.putInt(1).putInt(0).putInt(1).putInt(fp.length).put(fp);
    TaskAssignor.MemberInfo m = TaskAssignor.decodeSubscription("m", v1.flip());
    assertThat(m.version()).isEqualTo(1);
    assertThat(m.owned()).containsExactly(A);
    assertThat(m.offsetSums()).isEmpty();
    assertThat(m.standbys()).isEmpty();
  }

  @Test
  void anAssignmentCarriesStandbysAndWarmUpsAndVersion1LeavesThemOut() {
    AssignorContext ctx = new AssignorContext(null, "inst-1", 0, new AtomicBoolean(), "fp");
    TaskAssignor assignor = new TaskAssignor();
    assignor.configure(Map.of(AssignorContext.CONFIG_KEY, ctx));
    ByteBuffer v3 =
        TaskAssignor.AssignmentMessage.of(TaskAssignor.ERROR_NONE, List.of(A), "fp")
            .inVersion((byte) 3)
            .withReplicas(Set.of(A, B), Set.of(B))
            .encode();
    assignor.onAssignment(new Assignment(List.of(), v3), null);
    assertThat(ctx.assignedTasks).containsExactly(A);
    assertThat(ctx.assignedStandbys).containsExactly(A, B);
    assertThat(ctx.assignedWarmups).containsExactly(B);
    assertThat(ctx.leaderFingerprint).isEqualTo("fp");

    ByteBuffer v1 =
        TaskAssignor.AssignmentMessage.of(TaskAssignor.ERROR_NONE, List.of(B), "fp")
            .inVersion((byte) 1)
            .withReplicas(Set.of(A), Set.of())
            .encode();
    assertThat(v1.get(0)).isEqualTo((byte) 1);
    assignor.onAssignment(new Assignment(List.of(), v1), null);
    assertThat(ctx.assignedTasks).containsExactly(B);
    assertThat(ctx.assignedStandbys).isEmpty();
    assertThat(ctx.assignedWarmups).isEmpty();
  }

  @Test
  void goldenBytesOfSubscriptionVersion3TheServerAfterTheReplicaFields() {
    AssignorContext ctx = new AssignorContext(null, "i", 2, new AtomicBoolean(), "fp");
    ctx.ownedTasks = Set.of(A);
    ctx.offsetSums = () -> Map.of(B, 7L);
    ctx.standbysHeld = () -> Set.of(B);
    ctx.applicationServer = "h:1";
    TaskAssignor assignor = new TaskAssignor();
    assignor.configure(Map.of(AssignorContext.CONFIG_KEY, ctx));
    ByteBuffer b = assignor.subscriptionUserData(Set.of());
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo(
            "03" // version
                + "00000001"
                + "69" // instance id "i"
                + "00000002" // thread index
                + "00" // no shutdown requested
                + "00000001"
                + "00000000"
                + "00000001" // owned: 0_1
                + "00000002"
                + "6670" // fingerprint "fp"
                + "00000001"
                + "00000001"
                + "00000003"
                + "0000000000000007" // 1_3 at offset sum 7
                + "00000001"
                + "00000001"
                + "00000003" // standby held: 1_3
                + "00000003"
                + "683a31" // application.server "h:1"
                + "ffffffff"); // no liveness.listener (appended within version 3, record 021)
    TaskAssignor.MemberInfo m = TaskAssignor.decodeSubscription("m", b);
    assertThat(m.applicationServer()).isEqualTo("h:1");
    assertThat(m.offsetSums()).isEqualTo(Map.of(B, 7L));
    assertThat(m.standbys()).containsExactly(B);
  }

  @Test
  void aVersion2SubscriptionCarriesTheServerAndNoReplicaFields() {
    // What an eager member writes, and a Weir with interactive queries but no standbys.
    byte[] fp = "fp".getBytes(StandardCharsets.UTF_8);
    byte[] server = "h:9".getBytes(StandardCharsets.UTF_8);
    ByteBuffer v2 = ByteBuffer.allocate(1 + 4 + 1 + 4 + 1 + 4 + 8 + 4 + fp.length + 4 + 3);
    v2.put((byte) 2).putInt(1).put((byte) 'x').putInt(0).put((byte) 0);
    v2.putInt(1).putInt(0).putInt(1).putInt(fp.length).put(fp);
    v2.putInt(server.length).put(server);
    TaskAssignor.MemberInfo m = TaskAssignor.decodeSubscription("m", v2.flip());
    assertThat(m.version()).isEqualTo(2);
    assertThat(m.owned()).containsExactly(A);
    assertThat(m.applicationServer()).isEqualTo("h:9");
    assertThat(m.offsetSums()).isEmpty();
    assertThat(m.standbys()).isEmpty();
    assertThat(TaskAssignor.assignmentVersion(m)).isEqualTo((byte) 2);
  }

  @Test
  void goldenBytesOfAssignmentVersion3TheHostMapAfterTheStandbys() {
    HostMetadata.Hosts hosts =
        new HostMetadata.Hosts(Map.of("h:1", Set.of(A)), Map.of("h:1", Set.of(B)));
    ByteBuffer b =
        TaskAssignor.AssignmentMessage.of(TaskAssignor.ERROR_NONE, List.of(A), "fp")
            .inVersion((byte) 3)
            .withReplicas(Set.of(B), Set.of(B))
            .withHosts(hosts)
            .encode();
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo(
            "03" // version
                + "00" // error code
                + "00000001"
                + "00000000"
                + "00000001" // tasks: 0_1
                + "00000002"
                + "6670" // leader fingerprint "fp"
                + "00000001"
                + "00000001"
                + "00000003"
                + "01" // standby 1_3, a warm-up
                + "00000001" // one server
                + "00000003"
                + "683a31" // "h:1"
                + "00000001"
                + "00000000"
                + "00000001" // runs 0_1
                + "00000001"
                + "00000001"
                + "00000003" // standby of 1_3
                + "00000000"); // no watchable peers (appended within version 3, record 021)
    AtomicReference<HostMetadata.Hosts> seen = new AtomicReference<>();
    AssignorContext ctx = new AssignorContext(null, "i", 0, new AtomicBoolean(), "fp");
    ctx.hostsListener = seen::set;
    TaskAssignor assignor = new TaskAssignor();
    assignor.configure(Map.of(AssignorContext.CONFIG_KEY, ctx));
    assignor.onAssignment(new Assignment(List.of(), b), null);
    assertThat(seen.get()).isEqualTo(hosts);
    assertThat(ctx.assignedWarmups).containsExactly(B);

    // Version 2 (a member that subscribed with 2): the host map follows the fingerprint.
    ByteBuffer v2 =
        TaskAssignor.AssignmentMessage.of(TaskAssignor.ERROR_NONE, List.of(A), "fp")
            .inVersion((byte) 2)
            .withReplicas(Set.of(B), Set.of())
            .withHosts(hosts)
            .encode();
    assignor.onAssignment(new Assignment(List.of(), v2), null);
    assertThat(seen.get()).isEqualTo(hosts);
    assertThat(ctx.assignedStandbys).isEmpty();
  }
}
