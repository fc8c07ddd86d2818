package dev.weir.internal.runtime;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.Transformation;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskState;
import dev.weir.query.HostInfo;
import dev.weir.query.KeyQueryMetadata;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.query.StateQueryException;
import dev.weir.query.StateQueryException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The instance's registry for interactive queries: which tasks each stream thread runs (with their
 * state) or restores, and the group's latest host map. Threads publish a new snapshot whenever
 * their tasks change ({@link #publish}); queries read the snapshots from any thread, and read a
 * task's committed state under its commit lock ({@link TaskState#readCommitted}), so a task that
 * closes while a query runs fails that query cleanly instead of reading a closed store.
 *
 * <p>Thread-safe.
 */
public final class QueryableTasks {
  /** One thread's tasks, replaced as a whole. */
  private record Snapshot(Map<TaskId, TaskState> running, Set<TaskId> restoring) {}

  /** An operator's store and sub-topology. */
  record Operator(String uid, String store, SubTopology subTopology, String keyTopic) {}

  private final Plan plan;
  private final IntUnaryOperator taskCounts;
  private final LongSupplier clock;
  private final Supplier<RuntimeState> state;
  private final String applicationServer;
  private final Map<String, Snapshot> byThread = new ConcurrentHashMap<>();
  private volatile HostMetadata.Hosts hosts = HostMetadata.Hosts.NONE;

  QueryableTasks(
      Plan plan,
      IntUnaryOperator taskCounts,
      LongSupplier clock,
      Supplier<RuntimeState> state,
      String applicationServer) {
    this.plan = plan;
    this.taskCounts = taskCounts;
    this.clock = clock;
    this.state = state;
    this.applicationServer = applicationServer;
  }

  /**
   * The registry of the test driver: one task per sub-topology, all running on the calling thread,
   * always in state RUNNING.
   *
   * @param plan the driver's plan
   * @param tasks every task with state
   * @param clock the driver's processing time (for TTL)
   * @return the registry
   */
  public static QueryableTasks forDriver(
      Plan plan, Map<TaskId, TaskState> tasks, LongSupplier clock) {
    QueryableTasks q = new QueryableTasks(plan, sub -> 1, clock, () -> RuntimeState.RUNNING, null);
    q.publish("driver", tasks, Set.of());
    return q;
  }

  /** A thread's tasks changed: {@code running} with their state, {@code restoring} ids. */
  void publish(String thread, Map<TaskId, TaskState> running, Set<TaskId> restoring) {
    byThread.put(thread, new Snapshot(Map.copyOf(running), Set.copyOf(restoring)));
  }

  /** A thread stopped: its tasks are closed. */
  void remove(String thread) {
    byThread.remove(thread);
  }

  /** The leader's latest map from server to tasks. */
  void hosts(HostMetadata.Hosts hosts) {
    this.hosts = hosts;
  }

  /**
   * A typed view of one state; resolves the operator now, reads at each call.
   *
   * @param query the state
   * @return the view
   * @throws StateQueryException with {@link Reason#UNKNOWN_STATE} when no stateful operator has the
   *     query's uid
   */
  public <K, V> ReadOnlyKeyedState<K, V> view(StateQuery<K, V> query) {
    Objects.requireNonNull(query, "query");
    return new StateView<>(this, operator(query.uid(), query.state().name()), query);
  }

  /**
   * Which instances host {@code key} of operator {@code uid}.
   *
   * @param uid the operator
   * @param key the key
   * @param serializer the key's serializer, the same as the keyBy's
   * @return the metadata
   * @throws StateQueryException with {@link Reason#UNKNOWN_STATE} when no stateful operator has the
   *     uid
   */
  public <K> KeyQueryMetadata metadataForKey(String uid, K key, Serializer<? super K> serializer) {
    Operator op = operator(uid, null);
    checkRunning(op, null, -1);
    int partition = partition(op, serializer.serialize(op.keyTopic(), key));
    TaskId task = new TaskId(op.subTopology().id(), partition);
    HostMetadata.Hosts h = hosts;
    String active = h.activeOf(task);
    List<HostInfo> standbys = new ArrayList<>();
    h.standbysOf(task).forEach(s -> standbys.add(HostInfo.parse(s)));
    return new KeyQueryMetadata(
        Optional.ofNullable(active).map(HostInfo::parse), Set.copyOf(standbys), partition);
  }

  // ---- for StateView ----

  Operator operator(String uid, String stateName) {
    List<String> known = new ArrayList<>();
    for (SubTopology s : plan.subTopologies()) {
      for (Transformation<?> n : s.nodes()) {
        String store = plan.storeName(n);
        if (store == null || n.uid() == null) {
          continue;
        }
        if (n.uid().equals(uid)) {
          return new Operator(uid, store, s, plan.inputTopics(s).get(0));
        }
        known.add(n.uid());
      }
    }
    throw new StateQueryException(
        Reason.UNKNOWN_STATE,
        uid,
        stateName,
        -1,
        "No stateful operator has uid '"
            + uid
            + "'; the stateful operators with a uid are "
            + new java.util.TreeSet<>(known)
            + ". Query an operator by the uid(...) it was given in the topology.");
  }

  int partition(Operator op, byte[] key) {
    return Utils.toPositive(Utils.murmur2(key)) % taskCounts.applyAsInt(op.subTopology().id());
  }

  long now() {
    return clock.getAsLong();
  }

  String applicationId() {
    return plan.applicationId();
  }

  /**
   * The running task of {@code task}'s state, or the error that says why there is none.
   *
   * @param what the operator and state, for the message
   */
  TaskState task(Operator op, String stateName, int partition) {
    checkRunning(op, stateName, partition);
    TaskId id = new TaskId(op.subTopology().id(), partition);
    for (Snapshot s : byThread.values()) {
      TaskState t = s.running().get(id);
      if (t != null) {
        return t;
      }
      if (s.restoring().contains(id)) {
        throw restoring(op, stateName, partition);
      }
    }
    if (state.get() == RuntimeState.REBALANCING) {
      throw new StateQueryException(
          Reason.REBALANCING,
          op.uid(),
          stateName,
          partition,
          describe(op, stateName, partition)
              + " is not assigned to this instance while the group rebalances. Retry after the"
              + " rebalance, then ask queryMetadataForKey which instance hosts the key.");
    }
    String active = hosts.activeOf(id);
    throw new StateQueryException(
        Reason.NOT_HOSTED,
        op.uid(),
        stateName,
        partition,
        describe(op, stateName, partition)
            + " is not hosted by this instance"
            + (applicationServer == null ? "" : " (" + applicationServer + ")")
            + (active == null ? "" : "; instance " + active + " runs it")
            + ". Ask queryMetadataForKey which instance hosts the key and query that instance.");
  }

  /** The running tasks of {@code op} here, by partition; fails if any of them restores. */
  Map<Integer, TaskState> tasks(Operator op, String stateName) {
    checkRunning(op, stateName, -1);
    Map<Integer, TaskState> out = new TreeMap<>();
    for (Snapshot s : byThread.values()) {
      for (TaskId id : s.restoring()) {
        if (id.subTopology() == op.subTopology().id()) {
          throw restoring(op, stateName, id.partition());
        }
      }
      s.running()
          .forEach(
              (id, t) -> {
                if (id.subTopology() == op.subTopology().id()) {
                  out.put(id.partition(), t);
                }
              });
    }
    return out;
  }

  StateQueryException closedMeanwhile(Operator op, String stateName, int partition) {
    return new StateQueryException(
        Reason.REBALANCING,
        op.uid(),
        stateName,
        partition,
        describe(op, stateName, partition)
            + " was closed while the query read it (the task moved or the instance is stopping)."
            + " Retry; ask queryMetadataForKey which instance hosts the key now.");
  }

  private void checkRunning(Operator op, String stateName, int partition) {
    RuntimeState s = state.get();
    if (s != RuntimeState.RUNNING && s != RuntimeState.REBALANCING) {
      throw new StateQueryException(
          Reason.NOT_RUNNING,
          op.uid(),
          stateName,
          partition,
          "Cannot query "
              + (stateName == null ? "" : "state '" + stateName + "' of ")
              + "operator '"
              + op.uid()
              + "': the application is "
              + s
              + ". Queries work while it is RUNNING or REBALANCING; start it first.");
    }
  }

  private StateQueryException restoring(Operator op, String stateName, int partition) {
    return new StateQueryException(
        Reason.RESTORING,
        op.uid(),
        stateName,
        partition,
        describe(op, stateName, partition)
            + " is restoring from its changelog on this instance. Retry once the restore ends (a"
            + " restore listener, setGlobalStateRestoreListener, tells when).");
  }

  private static String describe(Operator op, String stateName, int partition) {
    return "State '"
        + stateName
        + "' of operator '"
        + op.uid()
        + "'"
        + (partition < 0
            ? ""
            : " for partition "
                + partition
                + " (task "
                + new TaskId(op.subTopology().id(), partition)
                + ")");
  }
}
