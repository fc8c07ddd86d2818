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
 * warm); the placement itself is {@link TaskPlacement}.
 *
 * <p><b>Rebalance protocol.</b> By default the assignor supports Kafka's COOPERATIVE protocol
 * (KIP-429) and EAGER: members keep their partitions through a rebalance and give up only those
 * that move. A task that moves is never handed from one member to another within one generation:
 * while any member of the rebalance still holds one of its partitions, the task goes to nobody; its
 * holder revokes it (commits, closes it) and rejoins, and the follow-up rebalance gives it to its
 * new owner ({@link TaskPlacement#holdBackMoves}). The leader applies this rule whatever its own
 * protocol, from the partitions each member reports, so a group that mixes eager and cooperative
 * members (the second bounce of an upgrade) is safe too. With {@code rebalance.protocol=eager} the
 * assignor supports only EAGER and writes subscription version 2, which a Weir that predates
 * cooperative rebalancing reads, so that such members can lead the group (the first bounce of an
 * upgrade; docs/operations.md).
 *
 * <p><b>Wire formats</b> are versioned and only ever appended to; big-endian, a task is {@code int
 * subTopology, int partition}, a string is {@code int length} and UTF-8 bytes.
 *
 * <pre>
 * subscription v1: version, instance id, thread index, shutdown flag, owned tasks, fingerprint
 * subscription v2: v1 + application.server                         (eager member)
 * subscription v3: v1 + offset sums + held standbys + application.server  (cooperative member)
 *                  + liveness.listener                   (appended within v3, record 021)
 * assignment v1:   version, error code, assigned tasks, the leader's fingerprint
 * assignment v2:   v1 + host map
 * assignment v3:   v1 + standby replicas + host map
 *                  + watchable peers                     (appended within v3, record 021)
 * </pre>
 *
 * Offset sums are {@code int n}, then {@code n} times task and {@code long offsetSum}, where {@link
 * TaskLags#RUNNING_ACTIVE} marks a task the member runs; held standbys and standby replicas are
 * {@code int n} and {@code n} tasks, a replica followed by {@code byte warmUp}. The server and the
 * host map are {@link HostMetadata}'s. The fingerprints were appended within version 1: a reader
 * that predates them ignores trailing bytes, and a member that sends none is not checked.
 * Subscription version 3 also means "this member rebalances cooperatively and keeps its partitions
 * through a rebalance": a leader that reads only up to version 2 fails rather than hand such a
 * member's tasks to another member in the same generation. The leader answers each member in the
 * assignment version matching its subscription (1, 2 or 3), and places replicas only when every
 * member subscribed with version 3 (see {@link ReplicaPlacement}).
 *
 * <p>The leader assigns tasks only to members whose topology fingerprint equals its own; every
 * other member gets {@link #ERROR_TOPOLOGY_MISMATCH} and no tasks, and its stream thread fails with
 * an error naming both fingerprints.
 */
public final class TaskAssignor implements ConsumerPartitionAssignor, Configurable {
  /** Subscription version of a Weir that predates interactive queries. */
  static final byte SUBSCRIPTION_V1 = 1;

  /** Subscription version of a member that rebalances eagerly: version 1 plus its server. */
  static final byte SUBSCRIPTION_V2 = 2;

  /**
   * Subscription version of a cooperative member: version 1 plus task offset sums, held standbys
   * and its server; the newest this one reads.
   */
  static final byte SUBSCRIPTION_V3 = 3;

  /** Assignment version with standby replicas and the host map; the newest this one writes. */
  static final byte VERSION = 3;

  /** Assignment version with the host map only, for members subscribing with version 2. */
  static final byte ASSIGNMENT_V2 = 2;

  /** Assignment version of the tasks alone, for members subscribing with version 1. */
  static final byte ASSIGNMENT_V1 = 1;

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

  /**
   * An assignor outside a running application, which assigns the tasks of {@code plan} as a group
   * leader would; for benchmarks ({@code perf}'s {@code AssignorBenchmark}).
   *
   * @param plan the topology's plan; not null
   * @param cooperative whether it rebalances cooperatively
   * @return a configured assignor; confined to the calling thread
   */
  public static TaskAssignor standalone(dev.weir.internal.graph.Plan plan, boolean cooperative) {
    TaskAssignor a = new TaskAssignor();
    a.configure(
        Map.of(
            AssignorContext.CONFIG_KEY,
            new AssignorContext(
                plan,
                "standalone",
                0,
                new java.util.concurrent.atomic.AtomicBoolean(),
                cooperative)));
    return a;
  }

  /**
   * The subscription user data a member of {@code plan} sends; for benchmarks.
   *
   * @param plan the topology's plan; not null
   * @param instanceId the member's instance id; not null
   * @param owned the tasks it claims; not null
   * @param cooperative whether it rebalances cooperatively
   * @return a new buffer, ready to read
   */
  public static ByteBuffer subscriptionOf(
      dev.weir.internal.graph.Plan plan,
      String instanceId,
      Set<TaskId> owned,
      boolean cooperative) {
    AssignorContext c =
        new AssignorContext(
            plan, instanceId, 0, new java.util.concurrent.atomic.AtomicBoolean(), cooperative);
    c.ownedTasks = owned;
    TaskAssignor a = new TaskAssignor();
    a.configure(Map.of(AssignorContext.CONFIG_KEY, c));
    return a.subscriptionUserData(Set.of());
  }

  /**
   * The tasks an assignment's user data lists; for benchmarks.
   *
   * @param userData an assignment's user data; not null
   * @return the tasks, in the order the leader wrote them
   */
  public static List<TaskId> tasksOf(ByteBuffer userData) {
    AssignorContext c =
        new AssignorContext(null, "reader", 0, new java.util.concurrent.atomic.AtomicBoolean());
    TaskAssignor a = new TaskAssignor();
    a.configure(Map.of(AssignorContext.CONFIG_KEY, c));
    a.onAssignment(new Assignment(List.of(), userData), null);
    return c.assignedTasks;
  }

  @Override
  public String name() {
    return "weir";
  }

  /**
   * COOPERATIVE and EAGER, or only EAGER under {@code rebalance.protocol=eager}: a consumer runs
   * the highest protocol its assignors all support.
   */
  @Override
  public List<RebalanceProtocol> supportedProtocols() {
    return context.cooperative
        ? List.of(RebalanceProtocol.COOPERATIVE, RebalanceProtocol.EAGER)
        : List.of(RebalanceProtocol.EAGER);
  }

  @Override
  public ByteBuffer subscriptionUserData(Set<String> topics) {
    byte[] id = context.instanceId.getBytes(StandardCharsets.UTF_8);
    byte[] fp = context.fingerprint.getBytes(StandardCharsets.UTF_8);
    Set<TaskId> owned = context.ownedTasks;
    // Called as the member (re)joins: from here until the assignment arrives a commit may carry a
    // generation the coordinator has already left behind.
    context.rebalancing = true;
    context.joinListener.accept(context.generation);
    // Version 2 (eager, readable by leaders that predate cooperative rebalancing) carries no
    // replica fields.
    Map<TaskId, Long> sums = context.cooperative ? context.offsetSums.get() : Map.of();
    Set<TaskId> standbys = context.cooperative ? context.standbysHeld.get() : Set.of();
    int extra = context.cooperative ? 4 + sums.size() * 16 + 4 + standbys.size() * 8 : 0;
    String server = context.applicationServer;
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
                + extra
                + HostMetadata.serverSize(server)
                + (context.cooperative ? HostMetadata.serverSize(context.livenessEndpoint) : 0));
    b.put(context.cooperative ? SUBSCRIPTION_V3 : SUBSCRIPTION_V2);
    b.putInt(id.length).put(id).putInt(context.threadIndex);
    b.put((byte) (context.shutdownRequested.get() ? 1 : 0));
    b.putInt(owned.size());
    for (TaskId t : owned) {
      b.putInt(t.subTopology()).putInt(t.partition());
    }
    b.putInt(fp.length).put(fp);
    if (context.cooperative) {
      b.putInt(sums.size());
      sums.forEach((t, sum) -> b.putInt(t.subTopology()).putInt(t.partition()).putLong(sum));
      b.putInt(standbys.size());
      for (TaskId t : standbys) {
        b.putInt(t.subTopology()).putInt(t.partition());
      }
    }
    HostMetadata.writeServer(b, server);
    if (context.cooperative) {
      // Appended within version 3: a leader that predates it ignores it.
      HostMetadata.writeServer(b, context.livenessEndpoint);
    }
    return b.flip();
  }

  /**
   * One member's subscription.
   *
   * @param fingerprint its topology fingerprint; null when it sent none (an older Weir)
   * @param version the subscription format it sent
   * @param offsetSums per task, how far its instance's copy of the state reached (version 3)
   * @param standbys the standbys it holds (version 3)
   * @param applicationServer its {@code application.server}; null when it set none (or sent version
   *     1)
   * @param livenessEndpoint its {@code liveness.listener} (version 3); null when it has none
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
      Set<TaskId> standbys,
      String applicationServer,
      String livenessEndpoint) {
    MemberInfo(
        String memberId, String instanceId, int thread, boolean shutdown, Set<TaskId> owned) {
      this(memberId, instanceId, thread, shutdown, owned, null);
    }

    /** A cooperative member (version 3) that reports no offset sums, standbys or server. */
    MemberInfo(
        String memberId,
        String instanceId,
        int thread,
        boolean shutdown,
        Set<TaskId> owned,
        String fingerprint) {
      this(
          memberId,
          instanceId,
          thread,
          shutdown,
          owned,
          fingerprint,
          SUBSCRIPTION_V3,
          Map.of(),
          Set.of(),
          null,
          null);
    }
  }

  static MemberInfo decodeSubscription(String memberId, ByteBuffer data) {
    if (data == null || !data.hasRemaining()) {
      return new MemberInfo(memberId, memberId, 0, false, Set.of());
    }
    ByteBuffer b = data.duplicate();
    byte v = b.get();
    if (v < SUBSCRIPTION_V1 || v > SUBSCRIPTION_V3) {
      throw new IllegalStateException(
          "Member "
              + memberId
              + " runs a Weir with subscription format "
              + v
              + "; this one reads "
              + SUBSCRIPTION_V1
              + " to "
              + SUBSCRIPTION_V3
              + ". Roll all instances to the same Weir version (docs/operations.md, 'Rolling"
              + " upgrades').");
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
    if (v >= SUBSCRIPTION_V3 && b.remaining() >= 4) {
      int k = b.getInt();
      for (int i = 0; i < k; i++) {
        sums.put(new TaskId(b.getInt(), b.getInt()), b.getLong());
      }
      int sb = b.getInt();
      for (int i = 0; i < sb; i++) {
        standbys.add(new TaskId(b.getInt(), b.getInt()));
      }
    }
    String server = v >= SUBSCRIPTION_V2 ? HostMetadata.readServer(b) : null;
    String liveness = v >= SUBSCRIPTION_V3 ? HostMetadata.readServer(b) : null;
    return new MemberInfo(
        memberId,
        new String(id, StandardCharsets.UTF_8),
        thread,
        shutdown,
        owned,
        fingerprint,
        v,
        sums,
        standbys,
        server,
        liveness);
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
                + " same topology.{}",
            m.memberId(),
            m.instanceId(),
            m.thread(),
            m.fingerprint(),
            context.fingerprint,
            TopologyFingerprint.asyncUpgradeNote(context.plan));
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
    Map<TaskId, Set<String>> holders = holders(subs);
    Map<String, List<TaskId>> byMember = TaskPlacement.balance(tasks, members, holders);
    // Lag-aware placement adjusts the balanced targets before moves are held back, so that a
    // task's two-phase move goes to where its state is caught up.
    ReplicaPlacement.Result replicas =
        ReplicaAssignment.place(context, metadata, tasks, members, byMember);
    if (replicas != null) {
      byMember = replicas.actives();
    }
    Set<TaskId> moving = TaskPlacement.holdBackMoves(byMember, holders);
    if (!moving.isEmpty()) {
      LOG.info(
          "Tasks {} move: each first goes from its current owner, then to its new one in the"
              + " follow-up rebalance",
          moving);
    }
    // After the hold-back: a moving task is on no server until its new owner runs it, so that
    // a query for its keys waits for the move instead of going to an instance that gave it up.
    HostMetadata.Hosts hosts =
        shutdown
            ? HostMetadata.Hosts.NONE
            : HostMetadata.hosts(
                servers(members), byMember, replicas == null ? Map.of() : replicas.standbys());
    List<PeerLiveness.Peer> peers = shutdown ? List.of() : peers(members, subs);
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
              AssignmentMessage.of(
                      shutdown ? ERROR_SHUTDOWN_APPLICATION : ERROR_NONE, mine, context.fingerprint)
                  .inVersion(assignmentVersion(m))
                  .withReplicas(standbys, warmups)
                  .withHosts(hosts)
                  .withPeers(peers)
                  .encode()));
    }
    for (MemberInfo m : rejected) {
      out.put(
          m.memberId(),
          new Assignment(
              List.of(),
              AssignmentMessage.of(ERROR_TOPOLOGY_MISMATCH, List.of(), context.fingerprint)
                  .inVersion(assignmentVersion(m))
                  .encode()));
    }
    return new GroupAssignment(out);
  }

  /** The assignment format a member reads: the one matching the subscription it sent. */
  static byte assignmentVersion(MemberInfo m) {
    if (m.version() >= SUBSCRIPTION_V3) {
      return VERSION;
    }
    return m.version() == SUBSCRIPTION_V2 ? ASSIGNMENT_V2 : ASSIGNMENT_V1;
  }

  /**
   * Per task, the members whose consumers hold one of its partitions now (the owned partitions a
   * cooperative member reports; an eager member reports none). A partition of no task is ignored.
   */
  private Map<TaskId, Set<String>> holders(Map<String, Subscription> subs) {
    Map<String, Integer> subOfTopic = new HashMap<>();
    for (SubTopology s : context.plan.subTopologies()) {
      context.plan.inputTopics(s).forEach(t -> subOfTopic.put(t, s.id()));
    }
    Map<TaskId, Set<String>> holders = new HashMap<>();
    for (Map.Entry<String, Subscription> e : subs.entrySet()) {
      for (TopicPartition tp : e.getValue().ownedPartitions()) {
        Integer sub = subOfTopic.get(tp.topic());
        if (sub != null) {
          holders
              .computeIfAbsent(new TaskId(sub, tp.partition()), k -> new TreeSet<>())
              .add(e.getKey());
        }
      }
    }
    return holders;
  }

  /** See {@link TaskPlacement#balance(List, List)}. */
  static Map<String, List<TaskId>> balance(List<TaskId> tasks, List<MemberInfo> members) {
    return TaskPlacement.balance(tasks, members);
  }

  /**
   * The instances with a liveness listener, each with the {@code group.instance.id}s of its
   * members: what a watcher removes when the instance dies (design record 021). Members without a
   * static id are left out (they cannot be removed by id).
   */
  static List<PeerLiveness.Peer> peers(List<MemberInfo> members, Map<String, Subscription> subs) {
    Map<String, String> instanceOf = new TreeMap<>();
    Map<String, Set<String>> ids = new TreeMap<>();
    for (MemberInfo m : members) {
      String ep = m.livenessEndpoint();
      Subscription sub = subs.get(m.memberId());
      if (ep == null || sub == null || sub.groupInstanceId().isEmpty()) {
        continue;
      }
      instanceOf.put(ep, m.instanceId());
      ids.computeIfAbsent(ep, k -> new TreeSet<>()).add(sub.groupInstanceId().get());
    }
    List<PeerLiveness.Peer> out = new ArrayList<>();
    ids.forEach(
        (ep, set) -> out.add(new PeerLiveness.Peer(ep, instanceOf.get(ep), List.copyOf(set))));
    return out;
  }

  /** Each member's {@code application.server}, by member id (null values kept). */
  private static Map<String, String> servers(List<MemberInfo> members) {
    Map<String, String> out = new HashMap<>();
    members.forEach(m -> out.put(m.memberId(), m.applicationServer()));
    return out;
  }

  /**
   * An assignment message as the leader sends it to one member.
   *
   * @param version the format: 1 is the tasks alone, 2 adds the host map, 3 the standbys, then the
   *     host map, then the watchable peers
   * @param standbys the member's standby replicas, warm-ups included (version 3)
   * @param warmups the warm-ups among them
   * @param hosts the tasks per {@code application.server} (versions 2 and 3)
   * @param peers the instances with a liveness listener (version 3, appended: an older reader
   *     ignores them): {@code int n}, then per peer its endpoint, instance id, {@code int k} and
   *     its {@code k} static member ids, all as strings
   */
  record AssignmentMessage(
      byte version,
      byte error,
      List<TaskId> tasks,
      String leaderFingerprint,
      Set<TaskId> standbys,
      Set<TaskId> warmups,
      HostMetadata.Hosts hosts,
      List<PeerLiveness.Peer> peers) {

    /** The current version with {@code tasks} alone: no replicas, hosts or peers. */
    static AssignmentMessage of(byte error, List<TaskId> tasks, String leaderFingerprint) {
      return new AssignmentMessage(
          VERSION,
          error,
          tasks,
          leaderFingerprint,
          Set.of(),
          Set.of(),
          HostMetadata.Hosts.NONE,
          List.of());
    }

    AssignmentMessage inVersion(byte v) {
      return new AssignmentMessage(
          v, error, tasks, leaderFingerprint, standbys, warmups, hosts, peers);
    }

    AssignmentMessage withReplicas(Set<TaskId> standbys, Set<TaskId> warmups) {
      return new AssignmentMessage(
          version, error, tasks, leaderFingerprint, standbys, warmups, hosts, peers);
    }

    AssignmentMessage withHosts(HostMetadata.Hosts hosts) {
      return new AssignmentMessage(
          version, error, tasks, leaderFingerprint, standbys, warmups, hosts, peers);
    }

    AssignmentMessage withPeers(List<PeerLiveness.Peer> peers) {
      return new AssignmentMessage(
          version, error, tasks, leaderFingerprint, standbys, warmups, hosts, peers);
    }

    /** The bytes of this message in its {@link #version}. */
    ByteBuffer encode() {
      byte[] fp = leaderFingerprint.getBytes(StandardCharsets.UTF_8);
      int size = 1 + 1 + 4 + tasks.size() * 8 + 4 + fp.length;
      if (version >= VERSION) {
        size += 4 + standbys.size() * 9;
      }
      if (version >= ASSIGNMENT_V2) {
        size += HostMetadata.hostsSize(hosts);
      }
      if (version >= VERSION) {
        size += 4;
        for (PeerLiveness.Peer p : peers) {
          size +=
              HostMetadata.serverSize(p.endpoint()) + HostMetadata.serverSize(p.instanceId()) + 4;
          for (String id : p.groupInstanceIds()) {
            size += HostMetadata.serverSize(id);
          }
        }
      }
      ByteBuffer b = ByteBuffer.allocate(size);
      b.put(version).put(error).putInt(tasks.size());
      for (TaskId t : tasks) {
        b.putInt(t.subTopology()).putInt(t.partition());
      }
      b.putInt(fp.length).put(fp);
      if (version >= VERSION) {
        b.putInt(standbys.size());
        for (TaskId t : new TreeSet<>(standbys)) {
          b.putInt(t.subTopology()).putInt(t.partition()).put((byte) (warmups.contains(t) ? 1 : 0));
        }
      }
      if (version >= ASSIGNMENT_V2) {
        HostMetadata.writeHosts(b, hosts);
      }
      if (version >= VERSION) {
        b.putInt(peers.size());
        for (PeerLiveness.Peer p : peers) {
          HostMetadata.writeServer(b, p.endpoint());
          HostMetadata.writeServer(b, p.instanceId());
          b.putInt(p.groupInstanceIds().size());
          p.groupInstanceIds().forEach(id -> HostMetadata.writeServer(b, id));
        }
      }
      return b.flip();
    }
  }

  /** The peers {@link AssignmentMessage#encode} appended. */
  static List<PeerLiveness.Peer> readPeers(ByteBuffer b) {
    int n = b.getInt();
    List<PeerLiveness.Peer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String endpoint = HostMetadata.readServer(b);
      String instance = HostMetadata.readServer(b);
      int k = b.getInt();
      List<String> ids = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        ids.add(HostMetadata.readServer(b));
      }
      out.add(new PeerLiveness.Peer(endpoint, instance, ids));
    }
    return out;
  }

  @Override
  public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
    if (metadata != null) {
      context.generation = metadata.generationId();
    }
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
    if (v < ASSIGNMENT_V1 || v > VERSION) {
      throw new IllegalStateException(
          "The group leader sent assignment format "
              + v
              + "; this Weir reads "
              + ASSIGNMENT_V1
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
    if (v >= VERSION && b.remaining() >= 4) {
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
    context.hosts(v >= ASSIGNMENT_V2 ? HostMetadata.readHosts(b) : HostMetadata.Hosts.NONE);
    if (v >= VERSION && b.remaining() >= 4) {
      context.peersListener.accept(readPeers(b));
    }
    context.assignedTasks = List.copyOf(tasks);
  }
}
