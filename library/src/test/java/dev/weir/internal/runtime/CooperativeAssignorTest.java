package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.task.TaskId;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * The assignor under cooperative rebalancing, run as a group: each member's subscription comes from
 * its own assignor (user data) and its consumer's owned partitions, the leader assigns, and every
 * round is checked against the consumer's own rule for cooperative assignors (no partition goes to
 * a member while another still owns it). A member that lost partitions rejoins, as the consumer
 * does, until no member has anything left to revoke.
 */
class CooperativeAssignorTest {
  private static final int PARTITIONS = 6;

  /** in (6 partitions) -> keyBy (repartition "by-v", 6 partitions) -> out: 12 tasks. */
  private static Plan plan() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(
            v -> v,
            Serdes.String(),
            Repartition.<String>named("by-v").withValueSerde(Serdes.String()).withPartitions(6))
        .map(v -> v)
        .name("after")
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return TopologyAccess.plan(b.build(), "app");
  }

  private static final Plan PLAN = plan();

  private static Cluster cluster() {
    List<PartitionInfo> parts = new ArrayList<>();
    for (String t : List.of("in", "app-by-v-repartition")) {
      for (int p = 0; p < PARTITIONS; p++) {
        parts.add(new PartitionInfo(t, p, null, null, null));
      }
    }
    return new Cluster("c", List.of(new Node(0, "h", 1)), parts, Set.of(), Set.of());
  }

  /** One stream thread: its assignor and what its consumer owns. */
  static final class Member {
    final String id;
    final AssignorContext context;
    final TaskAssignor assignor = new TaskAssignor();
    Set<TopicPartition> owned = new TreeSet<>(CooperativeAssignorTest::compare);
    int generation = -1;

    Member(String id, boolean cooperative) {
      this.id = id;
      this.context = new AssignorContext(PLAN, "inst-" + id, 0, new AtomicBoolean(), cooperative);
      assignor.configure(Map.of(AssignorContext.CONFIG_KEY, context));
    }

    boolean cooperative() {
      return context.cooperative;
    }

    Set<TaskId> tasks() {
      return new TreeSet<>(context.assignedTasks);
    }
  }

  private static int compare(TopicPartition a, TopicPartition b) {
    int c = a.topic().compareTo(b.topic());
    return c != 0 ? c : Integer.compare(a.partition(), b.partition());
  }

  /** The group: members in join order; the first is the leader. */
  private final Map<String, Member> group = new LinkedHashMap<>();

  /** Every task's owners over time, to count how often each one moved. */
  private final Map<TaskId, List<String>> history = new TreeMap<>();

  private int generation;

  private Member join(String id, boolean cooperative) {
    Member m = new Member(id, cooperative);
    group.put(id, m);
    return m;
  }

  /**
   * One rebalance. An eager member revokes everything before it joins (its subscription owns
   * nothing, its user data still claims its tasks). Returns whether a member revoked partitions and
   * so asks for the follow-up rebalance.
   */
  private boolean rebalance() {
    generation++;
    Map<String, Subscription> subs = new TreeMap<>();
    for (Member m : group.values()) {
      if (!m.cooperative()) {
        m.owned.clear();
      }
      subs.put(
          m.id,
          new Subscription(
              List.of("in", "app-by-v-repartition"),
              m.assignor.subscriptionUserData(Set.of()),
              List.copyOf(m.owned),
              m.generation,
              Optional.empty()));
    }
    Member leader = group.values().iterator().next();
    GroupAssignment out = leader.assignor.assign(cluster(), new GroupSubscription(subs));
    // The consumer's check of a cooperative assignment: nothing added while owned elsewhere.
    Set<TopicPartition> added = new HashSet<>();
    Set<TopicPartition> revoked = new HashSet<>();
    for (Member m : group.values()) {
      List<TopicPartition> mine = out.groupAssignment().get(m.id).partitions();
      Set<TopicPartition> a = new HashSet<>(mine);
      a.removeAll(m.owned);
      added.addAll(a);
      Set<TopicPartition> r = new HashSet<>(m.owned);
      mine.forEach(r::remove);
      revoked.addAll(r);
    }
    Set<TopicPartition> both = new HashSet<>(added);
    both.retainAll(revoked);
    assertThat(both)
        .as("partitions given away while still owned, generation " + generation)
        .isEmpty();
    boolean followUp = false;
    for (Member m : group.values()) {
      Assignment a = out.groupAssignment().get(m.id);
      Set<TopicPartition> now = new TreeSet<>(CooperativeAssignorTest::compare);
      now.addAll(a.partitions());
      followUp |= m.cooperative() && !now.containsAll(m.owned);
      m.owned = now;
      m.generation = generation;
      m.assignor.onAssignment(a, null);
      // What the task manager claims next: every task it runs.
      m.context.ownedTasks = Set.copyOf(m.context.assignedTasks);
      for (TaskId t : m.context.assignedTasks) {
        List<String> h = history.computeIfAbsent(t, k -> new ArrayList<>());
        if (h.isEmpty() || !h.get(h.size() - 1).equals(m.id)) {
          h.add(m.id);
        }
      }
    }
    return followUp;
  }

  /** Rebalances until no member has partitions to revoke; returns how many rebalances it took. */
  private int settle() {
    int rounds = 1;
    while (rebalance()) {
      rounds++;
      assertThat(rounds).as("rebalances to settle").isLessThanOrEqualTo(3);
    }
    return rounds;
  }

  private void assertBalancedAndComplete() {
    List<TaskId> all = new ArrayList<>();
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (Member m : group.values()) {
      all.addAll(m.tasks());
      min = Math.min(min, m.tasks().size());
      max = Math.max(max, m.tasks().size());
    }
    assertThat(all).hasSize(2 * PARTITIONS).doesNotHaveDuplicates();
    assertThat(max - min).isLessThanOrEqualTo(1);
  }

  private Map<String, Set<TaskId>> snapshot() {
    Map<String, Set<TaskId>> s = new TreeMap<>();
    group.values().forEach(m -> s.put(m.id, m.tasks()));
    return s;
  }

  @Test
  void aJoiningMemberGetsItsTasksInTheFollowUpRebalanceAfterTheirOwnersLetGo() {
    join("a", true);
    join("b", true);
    assertThat(settle()).isEqualTo(1);
    assertBalancedAndComplete();
    Map<String, Set<TaskId>> before = snapshot();

    Member c = join("c", true);
    // Round 1: c gets nothing yet; a and b each give up the two tasks that go to c.
    assertThat(rebalance()).isTrue();
    assertThat(c.tasks()).isEmpty();
    Set<TaskId> stillWithA = group.get("a").tasks();
    Set<TaskId> stillWithB = group.get("b").tasks();
    assertThat(before.get("a")).containsAll(stillWithA);
    assertThat(before.get("b")).containsAll(stillWithB);
    assertThat(stillWithA).hasSize(4);
    assertThat(stillWithB).hasSize(4);
    // Round 2: the four released tasks go to c; nothing else moves.
    assertThat(rebalance()).isFalse();
    assertThat(group.get("a").tasks()).isEqualTo(stillWithA);
    assertThat(group.get("b").tasks()).isEqualTo(stillWithB);
    Set<TaskId> released = new TreeSet<>(before.get("a"));
    released.removeAll(stillWithA);
    Set<TaskId> fromB = new TreeSet<>(before.get("b"));
    fromB.removeAll(stillWithB);
    released.addAll(fromB);
    assertThat(c.tasks()).isEqualTo(released);
    assertBalancedAndComplete();
    // Each stage is spread: c runs two source tasks and two after the exchange.
    assertThat(c.tasks().stream().filter(t -> t.subTopology() == 0)).hasSize(2);
  }

  @Test
  void aLeavingMembersTasksGoAtOnceAndNoOtherTaskMoves() {
    join("a", true);
    join("b", true);
    join("c", true);
    settle();
    Map<String, Set<TaskId>> before = snapshot();
    group.remove("b");
    assertThat(settle()).isEqualTo(1);
    assertBalancedAndComplete();
    assertThat(group.get("a").tasks()).containsAll(before.get("a"));
    assertThat(group.get("c").tasks()).containsAll(before.get("c"));
  }

  @Test
  void scalingTwoThreeTwoMovesEachTaskAtMostAsBalanceRequires() {
    join("a", true);
    join("b", true);
    settle();
    history.clear();
    snapshot().forEach((m, ts) -> ts.forEach(t -> history.put(t, new ArrayList<>(List.of(m)))));
    join("c", true);
    assertThat(settle()).isEqualTo(2);
    group.remove("c");
    assertThat(settle()).isEqualTo(1);
    assertBalancedAndComplete();
    // Four tasks went to c and came back; the other eight never moved.
    long moved = history.values().stream().filter(h -> h.size() > 1).count();
    assertThat(moved).isEqualTo(4);
    history.values().forEach(h -> assertThat(h.size()).isLessThanOrEqualTo(3));
  }

  @Test
  void aHolderKeepsItsRunningTasksOverAMemberThatOnlyHasOldState() {
    join("a", true);
    Member b = join("b", true);
    settle();
    Set<TaskId> bHad = b.tasks();
    // b restarts with a new member id (no static membership); a runs everything meanwhile.
    group.remove("b");
    settle();
    Member b2 = join("b2", true);
    b2.context.ownedTasks = bHad; // its local state
    assertThat(settle()).isEqualTo(2);
    assertBalancedAndComplete();
    // The six tasks a gives up are exactly those b2 has state for.
    assertThat(b2.tasks()).isEqualTo(bHad);
  }

  @Test
  void anEagerMemberInTheGroupIsSafeAndGetsOnlyUnheldTasks() {
    // The second bounce of an upgrade: a (already cooperative) leads, b still rebalances eagerly.
    join("a", true);
    Member b = join("b", false);
    settle();
    assertBalancedAndComplete();
    assertThat(b.context.ownedTasks).hasSize(6);
    join("c", true);
    settle(); // every round passes the cooperative check, with b owning nothing at each join
    assertBalancedAndComplete();
  }

  @Test
  void eagerContextsSendVersionTwoAndSupportOnlyEager() {
    Member eager = new Member("e", false);
    Member coop = new Member("c", true);
    assertThat(eager.assignor.supportedProtocols()).containsExactly(RebalanceProtocol.EAGER);
    assertThat(coop.assignor.supportedProtocols())
        .containsExactly(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER);
    // Version 2 (what a Weir before cooperative rebalancing reads), version 3 with replica fields.
    assertThat(eager.assignor.subscriptionUserData(Set.of()).get(0)).isEqualTo((byte) 2);
    assertThat(coop.assignor.subscriptionUserData(Set.of()).get(0)).isEqualTo((byte) 3);
    // Both carry the same base fields and the server.
    eager.context.ownedTasks = Set.of(new TaskId(1, 4));
    coop.context.ownedTasks = Set.of(new TaskId(1, 4));
    eager.context.applicationServer = "h:1";
    coop.context.applicationServer = "h:1";
    var e = TaskAssignor.decodeSubscription("m", eager.assignor.subscriptionUserData(Set.of()));
    var c = TaskAssignor.decodeSubscription("m", coop.assignor.subscriptionUserData(Set.of()));
    assertThat(e.owned()).isEqualTo(c.owned()).containsExactly(new TaskId(1, 4));
    assertThat(e.fingerprint()).isEqualTo(c.fingerprint()).isEqualTo(TopologyFingerprint.of(PLAN));
    assertThat(e.applicationServer()).isEqualTo(c.applicationServer()).isEqualTo("h:1");
  }

  @Test
  void aLeaderReadsTheSubscriptionOfAWeirThatPredatesCooperativeRebalancing() {
    // Exactly what such a member writes: version 1, id, thread, shutdown, owned, fingerprint.
    byte[] id = "old".getBytes(StandardCharsets.UTF_8);
    byte[] fp = TopologyFingerprint.of(PLAN).getBytes(StandardCharsets.UTF_8);
    ByteBuffer old = ByteBuffer.allocate(1 + 4 + id.length + 4 + 1 + 4 + 16 + 4 + fp.length);
    old.put((byte) 1).putInt(id.length).put(id).putInt(0).put((byte) 0).putInt(2);
    old.putInt(0).putInt(1).putInt(1).putInt(1);
    old.putInt(fp.length).put(fp).flip();
    Member leader = new Member("a", true);
    Map<String, Subscription> subs = new TreeMap<>();
    subs.put("a", new Subscription(List.of("in"), leader.assignor.subscriptionUserData(Set.of())));
    subs.put("old", new Subscription(List.of("in"), old));
    GroupAssignment out = leader.assignor.assign(cluster(), new GroupSubscription(subs));
    // The old member keeps the two tasks it claims (stickiness) and gets an assignment it reads.
    Member reader = new Member("old", false);
    reader.assignor.onAssignment(out.groupAssignment().get("old"), null);
    assertThat(reader.context.assignedTasks).contains(new TaskId(0, 1), new TaskId(1, 1));
    assertThat(out.groupAssignment().get("old").userData().get(0))
        .as("assignment version an old member reads")
        .isEqualTo((byte) 1);
  }

  @Test
  void aSubscriptionFromANewerWeirIsRefusedWithWhatToDo() {
    ByteBuffer v4 = ByteBuffer.wrap(new byte[] {4, 0, 0, 0, 0});
    assertThatThrownBy(() -> TaskAssignor.decodeSubscription("m-7", v4))
        .hasMessageContaining("Member m-7")
        .hasMessageContaining("subscription format 4")
        .hasMessageContaining("reads 1 to 3")
        .hasMessageContaining("Rolling upgrades");
  }

  @Test
  void sendingTheSubscriptionMarksTheRebalanceAsStarted() {
    Member m = new Member("a", true);
    assertThat(m.context.rebalancing).isFalse();
    m.assignor.subscriptionUserData(Set.of());
    assertThat(m.context.rebalancing).isTrue();
  }

  @Test
  void randomGroupsAlwaysSettleBalancedWithoutHandingOverAHeldTask() {
    java.util.Random r = new java.util.Random(42);
    for (int run = 0; run < 40; run++) {
      group.clear();
      int next = 0;
      for (int step = 0; step < 8; step++) {
        if (group.size() < 2 || (group.size() < 6 && r.nextBoolean())) {
          join("m" + next++, r.nextInt(5) != 0);
        } else {
          List<String> ids = new ArrayList<>(group.keySet());
          group.remove(ids.get(r.nextInt(ids.size())));
        }
        settle();
        assertBalancedAndComplete();
      }
    }
  }
}
