package dev.weir.internal.runtime;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskMetrics;
import dev.weir.internal.task.TaskState;
import dev.weir.store.ChangelogRestorer;
import dev.weir.store.StandbySession;
import dev.weir.store.TaskStateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standby and warm-up replicas of one stream thread: warm copies of other instances' task state
 * in this instance's state directory, kept up to date from the changelogs by a {@link
 * StandbySession} on the thread's own standby consumer (read_committed), a bounded number of
 * records per loop iteration so that processing never starves. A copy lives where the task's state
 * would: when the task becomes active here, its restore replays only the changelog tail the copy
 * had not read. Thread-confined to its stream thread, except the counts.
 */
final class StandbyTasks {
  private static final Logger LOG = LoggerFactory.getLogger(StandbyTasks.class);

  /** Records applied per loop iteration at most (one poll's records may pass it). */
  static final long RECORDS_PER_STEP = 10_000;

  /** How often a standby that could not open (its state still open elsewhere) is tried again. */
  private static final long RETRY_MS = 1_000;

  /** How often the offsets of the copies are published to the instance for the assignor. */
  private static final long PUBLISH_MS = 1_000;

  private final String thread;
  private final RuntimeSetup setup;
  private final Plan plan;
  private final ThreadClients clients;
  private final TaskMetrics metrics;
  private final RuntimeClock clock;
  private final InstanceReplicas instance;
  private final Set<TaskId> running = new TreeSet<>();
  private final Set<TaskId> waiting = new TreeSet<>();
  private Set<TaskId> warmupSet = Set.of();
  private final Set<TaskId> signaled = new java.util.HashSet<>();
  private boolean warmupCaughtUp;
  private StandbySession session;
  private long nextRetryMs;
  private long nextPublishMs;

  StandbyTasks(
      String thread,
      RuntimeSetup setup,
      ThreadClients clients,
      TaskMetrics metrics,
      RuntimeClock clock,
      InstanceReplicas instance) {
    this.thread = thread;
    this.setup = setup;
    this.plan = setup.plan();
    this.clients = clients;
    this.metrics = metrics;
    this.clock = clock;
    this.instance = instance;
  }

  /**
   * Takes the standbys of a new assignment: closes (flushed) those no longer assigned, so that a
   * task promoted to active on this instance finds its state free. The new ones wait for {@link
   * #openNew}: the thread creates its new active tasks first, since opening a standby looks up
   * changelog positions, which after a failover wait for the dead instance's open transaction until
   * the active tasks' creation has fenced it.
   *
   * @param standbys every standby of this thread, warm-ups included
   * @param warmupIds the warm-ups among them (counted apart, for the metrics)
   */
  void update(Collection<TaskId> standbys, Collection<TaskId> warmupIds) {
    Set<TaskId> wanted = new TreeSet<>(standbys);
    for (TaskId id : List.copyOf(running)) {
      if (!wanted.contains(id)) {
        close(id);
      }
    }
    waiting.retainAll(wanted);
    for (TaskId id : wanted) {
      if (!running.contains(id)) {
        waiting.add(id);
      }
    }
    metrics.warmupTasks.set(warmupIds.size());
    warmupSet = Set.copyOf(warmupIds);
    signaled.retainAll(warmupSet);
  }

  /** Opens the standbys the last {@link #update} added (those another thread holds: later). */
  void openNew() {
    if (!waiting.isEmpty()) {
      openWaiting();
    }
    if (!waiting.isEmpty() || !running.isEmpty()) {
      LOG.info(
          "{}: standby tasks {} (warm-ups {}); waiting to open {}",
          thread,
          running,
          warmupSet,
          waiting);
    }
  }

  /**
   * Applies a bounded amount of changelog records to the copies, without waiting.
   *
   * @return whether the step hit its bound (more records are likely waiting)
   */
  boolean step() {
    long now = clock.millis();
    if (!waiting.isEmpty() && now >= nextRetryMs) {
      openWaiting();
    }
    if (running.isEmpty()) {
      return false;
    }
    long applied = session().poll(Duration.ZERO, RECORDS_PER_STEP);
    metrics.standbyRecords.add(applied);
    if (now >= nextPublishMs) {
      nextPublishMs = now + PUBLISH_MS;
      publishOffsets();
      checkWarmups();
    }
    return applied >= RECORDS_PER_STEP;
  }

  /**
   * Whether a warm-up replica caught up (within {@code acceptable.recovery.lag}) since the last
   * call, one not reported before: the thread then triggers a rebalance, so that its task moves now
   * rather than at the next probing rebalance. Resets.
   */
  boolean takeWarmupCaughtUp() {
    boolean r = warmupCaughtUp;
    warmupCaughtUp = false;
    return r;
  }

  /** Each warm-up's lag from the consumer's own view of the changelogs (no request). */
  private void checkWarmups() {
    long acceptable = setup.placement().acceptableLag();
    for (TaskId id : warmupSet) {
      if (signaled.contains(id) || !running.contains(id)) {
        continue;
      }
      long lag = 0;
      boolean known = true;
      for (String store : plan.stores(plan.subTopology(id.subTopology()))) {
        java.util.OptionalLong l =
            clients
                .standbyConsumer()
                .currentLag(new TopicPartition(plan.changelogTopic(store), id.partition()));
        if (l.isEmpty()) {
          known = false;
          break;
        }
        lag += l.getAsLong();
      }
      if (known && lag <= acceptable) {
        LOG.info(
            "{}: warm-up replica {} caught up (lag {}); asking for a rebalance", thread, id, lag);
        signaled.add(id);
        warmupCaughtUp = true;
      }
    }
  }

  /** This thread's copies and the offset sums they reached. */
  Map<TaskId, Long> offsetSums() {
    Map<TaskId, Long> out = new TreeMap<>();
    if (session != null) {
      session.offsetSums().forEach((id, sum) -> out.put(TaskId.parse(id), sum));
    }
    return out;
  }

  /** The standbys of this thread, open or waiting to open. */
  Set<TaskId> ids() {
    Set<TaskId> all = new TreeSet<>(running);
    all.addAll(waiting);
    return all;
  }

  /** Closes every copy (flushed) and the session; never throws. */
  void closeAll() {
    for (TaskId id : List.copyOf(running)) {
      try {
        close(id);
      } catch (RuntimeException e) {
        LOG.warn("{}: closing standby {} failed", thread, id, e);
      }
    }
    waiting.clear();
    metrics.standbyTasks.set(0);
    metrics.warmupTasks.set(0);
    if (session != null) {
      ThreadClients.closeQuietly(session::close, thread, "standby session");
      session = null;
    }
  }

  private void openWaiting() {
    nextRetryMs = clock.millis() + RETRY_MS;
    for (TaskId id : List.copyOf(waiting)) {
      if (!instance.tryHoldStandby(id, thread)) {
        continue; // another thread of this instance still holds it: retried later
      }
      List<TaskState.StoreSpec> specs = new ArrayList<>();
      for (String store : plan.stores(plan.subTopology(id.subTopology()))) {
        specs.add(new TaskState.StoreSpec(store, plan.changelogTopic(store)));
      }
      List<String> names = TaskState.storeNames(specs);
      Map<String, TopicPartition> changelogs = TaskState.changelogs(specs, id.partition());
      TaskStateStore base;
      try {
        base = setup.stateBackend().open(id.toString(), names);
      } catch (IllegalStateException e) {
        // Still open as an active task being closed by another thread of this instance.
        instance.releaseStandby(id, thread);
        LOG.debug("{}: standby {} not opened yet: {}", thread, id, e.getMessage());
        continue;
      }
      try {
        base =
            setup
                .staleStateGuard()
                .wipeIfStale(
                    setup.stateBackend(),
                    base,
                    names,
                    changelogs.values(),
                    clients.standbyConsumer());
        session().add(base, changelogs);
      } catch (RuntimeException e) {
        base.close();
        instance.releaseStandby(id, thread);
        throw e;
      }
      waiting.remove(id);
      running.add(id);
    }
    metrics.standbyTasks.set(running.size() + waiting.size());
  }

  private void close(TaskId id) {
    running.remove(id);
    try {
      TaskStateStore s = session.remove(id.toString());
      if (s != null) {
        try {
          instance.recordOffsetSum(id, sum(s, id));
        } finally {
          s.close();
        }
      }
    } finally {
      instance.releaseStandby(id, thread);
      metrics.standbyTasks.set(running.size() + waiting.size());
    }
  }

  private long sum(TaskStateStore s, TaskId id) {
    long sum = 0;
    Map<String, Long> committed = s.committedOffsets();
    for (String store : plan.stores(plan.subTopology(id.subTopology()))) {
      TopicPartition tp = new TopicPartition(plan.changelogTopic(store), id.partition());
      sum += committed.getOrDefault(tp.toString(), 0L);
    }
    return sum;
  }

  private void publishOffsets() {
    offsetSums().forEach(instance::recordOffsetSum);
  }

  private StandbySession session() {
    if (session == null) {
      session = ChangelogRestorer.create().standbySession(clients.standbyConsumer());
    }
    return session;
  }
}
