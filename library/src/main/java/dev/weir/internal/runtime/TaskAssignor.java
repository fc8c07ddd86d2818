package dev.weir.internal.runtime;

import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.task.TaskId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.TopicPartition;

/**
 * Weir's consumer-group assignor: assigns whole tasks (partition {@code p} of every input topic of
 * a sub-topology) to stream threads across all instances, balanced (loads differ by at most one)
 * and sticky (a task stays with its previous owner when balance allows, so its local state is
 * warm).
 *
 * <p>Wire formats are versioned: subscription user data = version, instance id, thread index,
 * shutdown flag, owned tasks, topology fingerprint; assignment user data = version, error code,
 * assigned tasks, the leader's topology fingerprint. The fingerprints were appended within version
 * 1: a reader that predates them ignores trailing bytes, and a member that sends none is not
 * checked. Version 2 appends to the subscription the member's task offset sums ({@code int n}, then
 * {@code n} times {@code int subTopology, int partition, long offsetSum}, where {@link
 * TaskLags#RUNNING_ACTIVE} marks a task it runs) and the standbys it holds ({@code int n}, then
 * {@code n} times {@code int subTopology, int partition}); and to the assignment the member's
 * standby replicas ({@code int n}, then {@code n} times {@code int subTopology, int partition, byte
 * warmUp}). The leader writes assignments in the lowest version any member subscribed with, and
 * places replicas only with lag reports from version 2 members (see {@link ReplicaPlacement}).
 *
 * <p>The leader assigns tasks only to members whose topology fingerprint equals its own; every
 * other member gets {@link #ERROR_TOPOLOGY_MISMATCH} and no tasks, and its stream thread fails with
 * an error naming both fingerprints.
 */
public final class TaskAssignor implements ConsumerPartitionAssignor, Configurable {
  static final byte VERSION = 2;
  static final byte MIN_VERSION = 1;
  static final byte ERROR_NONE = 0;
  static final byte ERROR_SHUTDOWN_APPLICATION = 1;
  static final byte ERROR_TOPOLOGY_MISMATCH = 2;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TaskAssignor.class);

  private AssignorContext context;

  @Override
  public void configure(Map<String, ?> configs) {
    Object c = configs.get(AssignorContext.CONFIG_KEY);
    if (!(c instanceof AssignorContext ac)) {
      throw new IllegalStateException(
          "TaskAssignor is Weir's internal assignor and only works inside a Weir application");
    }
    this.context = ac;
  }

  @Override
  public String name() {
    return "weir";
  }

  @Override
  public ByteBuffer subscriptionUserData(Set<String> topics) {
    byte[] id = context.instanceId.getBytes(StandardCharsets.UTF_8);
    byte[] fp = context.fingerprint.getBytes(StandardCharsets.UTF_8);
    Set<TaskId> owned = context.ownedTasks;
    Map<TaskId, Long> sums = context.offsetSums.get();
    Set<TaskId> standbys = context.standbysHeld.get();
    ByteBuffer b =
        ByteBuffer.allocate(
            1
                + 4
                + id.length
                + 4
                + 1
                + 4
                + owned.size() * 8
                + 4
                + fp.length
                + 4
                + sums.size() * 16
                + 4
                + standbys.size() * 8);
    b.put(VERSION).putInt(id.length).put(id).putInt(context.threadIndex);
    b.put((byte) (context.shutdownRequested.get() ? 1 : 0));
    b.putInt(owned.size());
    for (TaskId t : owned) {
      b.putInt(t.subTopology()).putInt(t.partition());
    }
    b.putInt(fp.length).put(fp);
    b.putInt(sums.size());
    sums.forEach((t, sum) -> b.putInt(t.subTopology()).putInt(t.partition()).putLong(sum));
    b.putInt(standbys.size());
    for (TaskId t : standbys) {
      b.putInt(t.subTopology()).putInt(t.partition());
    }
    return b.flip();
  }

  /**
   * One member's subscription.
   *
   * @param fingerprint its topology fingerprint; null when it sent none (an older Weir)
   * @param version the subscription format it sent
   * @param offsetSums per task, how far its instance's copy of the state reached (version 2)
   * @param standbys the standbys it holds (version 2)
   */
  record MemberInfo(
      String memberId,
      String instanceId,
      int thread,
      boolean shutdown,
      Set<TaskId> owned,
      String fingerprint,
      int version,
      Map<TaskId, Long> offsetSums,
      Set<TaskId> standbys) {
    MemberInfo(
        String memberId, String instanceId, int thread, boolean shutdown, Set<TaskId> owned) {
      this(memberId, instanceId, thread, shutdown, owned, null);
    }

    MemberInfo(
        String memberId,
        String instanceId,
        int thread,
        boolean shutdown,
        Set<TaskId> owned,
        String fingerprint) {
      this(memberId, instanceId, thread, shutdown, owned, fingerprint, VERSION, Map.of(), Set.of());
    }
  }

  static MemberInfo decodeSubscription(String memberId, ByteBuffer data) {
    if (data == null || !data.hasRemaining()) {
      return new MemberInfo(memberId, memberId, 0, false, Set.of());
    }
    ByteBuffer b = data.duplicate();
    byte v = b.get();
    if (v < MIN_VERSION || v > VERSION) {
      throw new IllegalStateException(
          "Member "
              + memberId
              + " runs a Weir with subscription format "
              + v
              + "; this one reads "
              + MIN_VERSION
              + " to "
              + VERSION
              + ". Roll all instances to the same Weir version.");
    }
    byte[] id = new byte[b.getInt()];
    b.get(id);
    int thread = b.getInt();
    boolean shutdown = b.get() == 1;
    int n = b.getInt();
    Set<TaskId> owned = new HashSet<>();
    for (int i = 0; i < n; i++) {
      owned.add(new TaskId(b.getInt(), b.getInt()));
    }
    String fingerprint = readString(b);
    Map<TaskId, Long> sums = new HashMap<>();
    Set<TaskId> standbys = new HashSet<>();
    if (v >= 2 && b.remaining() >= 4) {
      int k = b.getInt();
      for (int i = 0; i < k; i++) {
        sums.put(new TaskId(b.getInt(), b.getInt()), b.getLong());
      }
      int sb = b.getInt();
      for (int i = 0; i < sb; i++) {
        standbys.add(new TaskId(b.getInt(), b.getInt()));
      }
    }
    return new MemberInfo(
        memberId,
        new String(id, StandardCharsets.UTF_8),
        thread,
        shutdown,
        owned,
        fingerprint,
        v,
        sums,
        standbys);
  }

  /** A length-prefixed string at the end of a message, or null when the sender wrote none. */
  private static String readString(ByteBuffer b) {
    if (b.remaining() < 4) {
      return null;
    }
    byte[] s = new byte[b.getInt()];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  @Override
  public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
    Map<String, Subscription> subs = groupSubscription.groupSubscription();
    List<MemberInfo> members = new ArrayList<>();
    List<MemberInfo> rejected = new ArrayList<>();
    boolean shutdown = false;
    for (Map.Entry<String, Subscription> e : new TreeMap<>(subs).entrySet()) {
      MemberInfo m = decodeSubscription(e.getKey(), e.getValue().userData());
      shutdown |= m.shutdown();
      if (m.fingerprint() != null && !m.fingerprint().equals(context.fingerprint)) {
        LOG.error(
            "Member {} (instance {}, thread {}) runs topology {}, this group leader runs {}:"
                + " it gets no tasks and fails. All instances of an application must run the"
                + " same topology.",
            m.memberId(),
            m.instanceId(),
            m.thread(),
            m.fingerprint(),
            context.fingerprint);
        rejected.add(m);
      } else {
        members.add(m);
      }
    }
    List<TaskId> tasks = new ArrayList<>();
    for (SubTopology s : context.plan.subTopologies()) {
      int n = 0;
      for (String topic : context.plan.inputTopics(s)) {
        Integer c = metadata.partitionCountForTopic(topic);
        if (c != null) {
          n = Math.max(n, c);
        }
      }
      for (int p = 0; p < n; p++) {
        tasks.add(new TaskId(s.id(), p));
      }
    }
    Map<String, List<TaskId>> byMember = balance(tasks, members);
    ReplicaPlacement.Result replicas =
        ReplicaAssignment.place(context, metadata, tasks, members, byMember);
    if (replicas != null) {
      byMember = replicas.actives();
    }
    byte version = VERSION;
    for (MemberInfo m : members) {
      version = (byte) Math.min(version, m.version());
    }
    Map<String, Assignment> out = new HashMap<>();
    for (MemberInfo m : members) {
      List<TaskId> mine = shutdown ? List.of() : byMember.get(m.memberId());
      Set<TaskId> standbys =
          shutdown || replicas == null ? Set.of() : replicas.standbys().get(m.memberId());
      Set<TaskId> warmups =
          shutdown || replicas == null ? Set.of() : replicas.warmups().get(m.memberId());
      List<TopicPartition> partitions = new ArrayList<>();
      for (TaskId t : mine) {
        for (String topic : context.plan.inputTopics(context.plan.subTopology(t.subTopology()))) {
          Integer c = metadata.partitionCountForTopic(topic);
          if (c != null && t.partition() < c) {
            partitions.add(new TopicPartition(topic, t.partition()));
          }
        }
      }
      out.put(
          m.memberId(),
          new Assignment(
              partitions,
              encodeAssignment(
                  version,
                  shutdown ? ERROR_SHUTDOWN_APPLICATION : ERROR_NONE,
                  mine,
                  context.fingerprint,
                  standbys,
                  warmups)));
    }
    for (MemberInfo m : rejected) {
      out.put(
          m.memberId(),
          new Assignment(
              List.of(),
              encodeAssignment(ERROR_TOPOLOGY_MISMATCH, List.of(), context.fingerprint)));
    }
    return new GroupAssignment(out);
  }

  /**
   * Balanced, sticky assignment. Every member gets {@code floor(T/M)} or {@code ceil(T/M)} tasks,
   * and at most {@code ceil(T_s/M)} tasks of each sub-topology {@code s}, so that the work of every
   * stage (say, the sources and the windows) is spread over the members rather than one member
   * running all tasks of a stage. Previous owners keep their tasks within both limits; the rest go
   * to the least-loaded members that may still take a task of that sub-topology.
   */
  static Map<String, List<TaskId>> balance(List<TaskId> tasks, List<MemberInfo> members) {
    Map<String, List<TaskId>> result = new HashMap<>();
    members.forEach(m -> result.put(m.memberId(), new ArrayList<>()));
    if (members.isEmpty()) {
      return result;
    }
    int m = members.size();
    int floor = tasks.size() / m;
    int[] extras = {tasks.size() % m};
    Map<Integer, Integer> perSub = new HashMap<>();
    tasks.forEach(t -> perSub.merge(t.subTopology(), 1, Integer::sum));
    Map<String, Map<Integer, Integer>> subLoad = new HashMap<>();
    members.forEach(x -> subLoad.put(x.memberId(), new HashMap<>()));
    Set<TaskId> unassigned = new TreeSet<>(tasks);
    // Pass 1: keep previous tasks up to the floor; pass 2: up to the ceiling for `extras` members.
    for (int pass = 0; pass < 2; pass++) {
      for (MemberInfo x : members) {
        List<TaskId> mine = result.get(x.memberId());
        for (TaskId t : new TreeSet<>(x.owned())) {
          int cap = pass == 0 ? floor : (extras[0] > 0 ? floor + 1 : floor);
          if (mine.size() >= cap
              || !unassigned.contains(t)
              || !underSubCap(subLoad.get(x.memberId()), t, perSub, m)) {
            continue;
          }
          if (pass == 1) {
            extras[0]--;
          }
          take(x, t, result, subLoad);
          unassigned.remove(t);
        }
      }
    }
    // Spread the rest: per sub-topology, round-robin over the least-loaded members.
    for (TaskId t : unassigned) {
      MemberInfo best = null;
      for (boolean strict : new boolean[] {true, false}) {
        for (MemberInfo x : members) {
          int load = result.get(x.memberId()).size();
          boolean canTake = load < floor || (load == floor && extras[0] > 0);
          if (!canTake || (strict && !underSubCap(subLoad.get(x.memberId()), t, perSub, m))) {
            continue;
          }
          if (best == null || better(x, best, t, result, subLoad)) {
            best = x;
          }
        }
        if (best != null) {
          break;
        }
      }
      if (best == null) {
        throw new IllegalStateException("balance: no member can take task " + t);
      }
      if (result.get(best.memberId()).size() == floor) {
        extras[0]--;
      }
      take(best, t, result, subLoad);
    }
    return result;
  }

  private static boolean underSubCap(
      Map<Integer, Integer> load, TaskId t, Map<Integer, Integer> perSub, int members) {
    int cap = (perSub.get(t.subTopology()) + members - 1) / members;
    return load.getOrDefault(t.subTopology(), 0) < cap;
  }

  /** Fewer tasks of this sub-topology first, then fewer tasks in total. */
  private static boolean better(
      MemberInfo x,
      MemberInfo best,
      TaskId t,
      Map<String, List<TaskId>> result,
      Map<String, Map<Integer, Integer>> subLoad) {
    int xs = subLoad.get(x.memberId()).getOrDefault(t.subTopology(), 0);
    int bs = subLoad.get(best.memberId()).getOrDefault(t.subTopology(), 0);
    if (xs != bs) {
      return xs < bs;
    }
    return result.get(x.memberId()).size() < result.get(best.memberId()).size();
  }

  private static void take(
      MemberInfo x,
      TaskId t,
      Map<String, List<TaskId>> result,
      Map<String, Map<Integer, Integer>> subLoad) {
    result.get(x.memberId()).add(t);
    subLoad.get(x.memberId()).merge(t.subTopology(), 1, Integer::sum);
  }

  static ByteBuffer encodeAssignment(byte error, List<TaskId> tasks, String leaderFingerprint) {
    return encodeAssignment(VERSION, error, tasks, leaderFingerprint, Set.of(), Set.of());
  }

  /**
   * Encodes an assignment.
   *
   * @param version the format: 1 leaves the standbys out
   * @param standbys the member's standby replicas, warm-ups included
   * @param warmups the warm-ups among them
   */
  static ByteBuffer encodeAssignment(
      byte version,
      byte error,
      List<TaskId> tasks,
      String leaderFingerprint,
      Set<TaskId> standbys,
      Set<TaskId> warmups) {
    byte[] fp = leaderFingerprint.getBytes(StandardCharsets.UTF_8);
    int size = 1 + 1 + 4 + tasks.size() * 8 + 4 + fp.length;
    if (version >= 2) {
      size += 4 + standbys.size() * 9;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(version).put(error).putInt(tasks.size());
    for (TaskId t : tasks) {
      b.putInt(t.subTopology()).putInt(t.partition());
    }
    b.putInt(fp.length).put(fp);
    if (version >= 2) {
      b.putInt(standbys.size());
      for (TaskId t : new TreeSet<>(standbys)) {
        b.putInt(t.subTopology()).putInt(t.partition()).put((byte) (warmups.contains(t) ? 1 : 0));
      }
    }
    return b.flip();
  }

  @Override
  public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
    ByteBuffer b = assignment.userData();
    if (b == null || !b.hasRemaining()) {
      context.assignedTasks = List.of();
      context.assignedStandbys = List.of();
      context.assignedWarmups = Set.of();
      context.errorCode = ERROR_NONE;
      return;
    }
    b = b.duplicate();
    byte v = b.get();
    if (v < MIN_VERSION || v > VERSION) {
      throw new IllegalStateException(
          "The group leader sent assignment format "
              + v
              + "; this Weir reads "
              + MIN_VERSION
              + " to "
              + VERSION
              + ". Roll all instances to the same Weir version.");
    }
    context.errorCode = b.get();
    int n = b.getInt();
    List<TaskId> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(new TaskId(b.getInt(), b.getInt()));
    }
    context.leaderFingerprint = readString(b);
    List<TaskId> standbys = new ArrayList<>();
    Set<TaskId> warmups = new HashSet<>();
    if (v >= 2 && b.remaining() >= 4) {
      int k = b.getInt();
      for (int i = 0; i < k; i++) {
        TaskId t = new TaskId(b.getInt(), b.getInt());
        standbys.add(t);
        if (b.get() == 1) {
          warmups.add(t);
        }
      }
    }
    context.assignedStandbys = List.copyOf(standbys);
    context.assignedWarmups = Set.copyOf(warmups);
    context.assignedTasks = List.copyOf(tasks);
  }
}
