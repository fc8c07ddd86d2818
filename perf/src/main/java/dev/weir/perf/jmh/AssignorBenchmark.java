package dev.weir.perf.jmh;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.runtime.TaskAssignor;
import dev.weir.internal.task.TaskId;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupAssignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The group leader's work in a rebalance of a large application: Weir's assignor over {@code
 * stages} sub-topologies of {@code partitions} partitions each (10,000 tasks by default) and {@code
 * members} stream threads (500). Three rebalances: the first (nobody holds anything), a steady one
 * (everyone holds and claims its tasks, nothing moves) and one where a member joins (tasks move in
 * two steps). The setup prints the group metadata the protocol carries: every member's subscription
 * as the consumer serialises it (the leader receives them all in its JoinGroup response) and every
 * assignment (the leader sends them all in its SyncGroup request). Run with {@code perf/run.sh jmh
 * Assignor}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AssignorBenchmark {
  /** Sub-topologies: a source and {@code stages - 1} keyBy exchanges. */
  @Param({"5"})
  public int stages;

  /** Partitions of every sub-topology's input: tasks = stages x partitions. */
  @Param({"2000"})
  public int partitions;

  /** Stream threads in the group. */
  @Param({"500"})
  public int members;

  private TaskAssignor leader;
  private Cluster cluster;
  private GroupSubscription first;
  private GroupSubscription steady;
  private GroupSubscription joining;

  /** Builds the plan, the cluster metadata and the three groups' subscriptions. */
  @Setup(Level.Trial)
  public void setUp() {
    StreamBuilder b = new StreamBuilder();
    DataStream<String> s = b.fromSource(KafkaSource.topic("in", Serdes.String()), "in");
    for (int i = 1; i < stages; i++) {
      s =
          s.keyBy(
                  v -> v,
                  Serdes.String(),
                  Repartition.<String>named("x" + i)
                      .withValueSerde(Serdes.String())
                      .withPartitions(partitions))
              .map(v -> v)
              .name("stage" + i);
    }
    s.sinkTo(KafkaSink.topic("out", Serdes.String()));
    Plan plan = TopologyAccess.plan(b.build(), "bench");
    List<String> topics = new ArrayList<>();
    List<PartitionInfo> infos = new ArrayList<>();
    for (SubTopology st : plan.subTopologies()) {
      for (String t : plan.inputTopics(st)) {
        topics.add(t);
        for (int p = 0; p < partitions; p++) {
          infos.add(new PartitionInfo(t, p, null, null, null));
        }
      }
    }
    cluster = new Cluster("c", List.of(new Node(0, "h", 1)), infos, Set.of(), Set.of());
    leader = TaskAssignor.standalone(plan, true);

    Map<String, Subscription> none = new TreeMap<>();
    for (int m = 0; m < members; m++) {
      none.put(memberId(m), subscription(plan, topics, m, Set.of(), List.of()));
    }
    first = new GroupSubscription(none);
    GroupAssignment initial = leader.assign(cluster, first);

    Map<String, Subscription> holding = new TreeMap<>();
    for (int m = 0; m < members; m++) {
      Assignment a = initial.groupAssignment().get(memberId(m));
      Set<TaskId> owned = new HashSet<>(TaskAssignor.tasksOf(a.userData()));
      holding.put(memberId(m), subscription(plan, topics, m, owned, a.partitions()));
    }
    steady = new GroupSubscription(holding);
    Map<String, Subscription> plusOne = new TreeMap<>(holding);
    plusOne.put(memberId(members), subscription(plan, topics, members, Set.of(), List.of()));
    joining = new GroupSubscription(plusOne);
    report(initial, holding);
  }

  private static String memberId(int m) {
    return String.format("bench-%08x-0-consumer-%s", m, java.util.UUID.randomUUID());
  }

  private static Subscription subscription(
      Plan plan, List<String> topics, int m, Set<TaskId> owned, List<TopicPartition> held) {
    ByteBuffer user =
        TaskAssignor.subscriptionOf(plan, java.util.UUID.randomUUID().toString(), owned, true);
    return new Subscription(topics, user, held, 1, Optional.empty());
  }

  /** Prints the metadata sizes the protocol carries for this group. */
  private void report(GroupAssignment initial, Map<String, Subscription> holding) {
    long subs = 0;
    long user = 0;
    for (Subscription s : holding.values()) {
      subs += ConsumerProtocol.serializeSubscription(s).remaining();
      user += s.userData().remaining();
    }
    long assignments = 0;
    long maxAssignment = 0;
    for (Assignment a : initial.groupAssignment().values()) {
      int n = ConsumerProtocol.serializeAssignment(a).remaining();
      assignments += n;
      maxAssignment = Math.max(maxAssignment, n);
    }
    Map<String, Long> out = new HashMap<>();
    out.put("tasks", (long) stages * partitions);
    out.put("members", (long) members);
    out.put("subscription-bytes-total", subs);
    out.put("subscription-user-data-bytes-total", user);
    out.put("subscription-bytes-per-member", subs / members);
    out.put("assignment-bytes-total", assignments);
    out.put("assignment-bytes-max", maxAssignment);
    System.out.println("METADATA " + new TreeMap<>(out));
  }

  /** The first rebalance: nobody holds a task. */
  @Benchmark
  public GroupAssignment firstRebalance() {
    return leader.assign(cluster, first);
  }

  /** A rebalance where nothing moves: every member holds and claims its tasks. */
  @Benchmark
  public GroupAssignment steadyRebalance() {
    return leader.assign(cluster, steady);
  }

  /** A member joins: the tasks it should get are held back from their holders for one round. */
  @Benchmark
  public GroupAssignment memberJoins() {
    return leader.assign(cluster, joining);
  }
}
