package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.internal.task.TaskId;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.junit.jupiter.api.Test;

/** Version 2 of the assignor's wire formats: task offset sums, standbys and warm-ups. */
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
    ByteBuffer v2 =
        TaskAssignor.encodeAssignment(
            (byte) 2, TaskAssignor.ERROR_NONE, List.of(A), "fp", Set.of(A, B), Set.of(B));
    assignor.onAssignment(new Assignment(List.of(), v2), null);
    assertThat(ctx.assignedTasks).containsExactly(A);
    assertThat(ctx.assignedStandbys).containsExactly(A, B);
    assertThat(ctx.assignedWarmups).containsExactly(B);
    assertThat(ctx.leaderFingerprint).isEqualTo("fp");

    ByteBuffer v1 =
        TaskAssignor.encodeAssignment(
            (byte) 1, TaskAssignor.ERROR_NONE, List.of(B), "fp", Set.of(A), Set.of());
    assertThat(v1.get(0)).isEqualTo((byte) 1);
    assignor.onAssignment(new Assignment(List.of(), v1), null);
    assertThat(ctx.assignedTasks).containsExactly(B);
    assertThat(ctx.assignedStandbys).isEmpty();
    assertThat(ctx.assignedWarmups).isEmpty();
  }
}
