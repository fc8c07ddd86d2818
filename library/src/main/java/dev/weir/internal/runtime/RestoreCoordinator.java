package dev.weir.internal.runtime;

import dev.weir.internal.task.StaleStateGuard;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskMetrics;
import dev.weir.internal.task.TaskState;
import dev.weir.store.ChangelogRestorer;
import dev.weir.store.RestoreListener;
import dev.weir.store.RestoreResult;
import dev.weir.store.RestoreSession;
import dev.weir.store.TaskStateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the state of a stream thread's new stateful tasks up to date (design record 004): waits
 * for a previous owner's open transactions on their changelogs, wipes local state too old to
 * restore from, runs the thread's restore session from the poll loop, and keeps each restoring
 * task's input partitions paused until its state is ready. Thread-confined to its stream thread,
 * except {@link #remaining()}.
 */
final class RestoreCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(RestoreCoordinator.class);

  /** How long a restore step waits for changelog records while other tasks are running. */
  private static final Duration POLL_WHILE_PROCESSING = Duration.ofMillis(5);

  /** How long a new active task waits for another thread of the instance to close its standby. */
  private static final Duration STANDBY_HANDOFF = Duration.ofSeconds(60);

  /** A stateful task whose stores are being restored. */
  private record Restoring(
      TaskStateStore base,
      List<TaskState.StoreSpec> specs,
      List<TopicPartition> inputs,
      Map<TopicPartition, OffsetAndMetadata> committed,
      long startNanos) {}

  /** A task whose state is restored: the task manager starts it, then {@link #resume}s it. */
  record Ready(
      TaskId id,
      TaskState state,
      List<TopicPartition> inputs,
      Map<TopicPartition, OffsetAndMetadata> committed) {}

  private final String thread;
  private final RuntimeSetup setup;
  private final ThreadClients clients;
  private final TaskMetrics metrics;
  private final RuntimeClock clock;
  private final ChangelogRestorer restorer;
  private final DepartedProducers departed;

  /** The write-back cache budget of the thread's tasks (state.cache.max.bytes). */
  private final dev.weir.store.StateCache cache;

  private final Map<TaskId, Restoring> restoring = new TreeMap<>();
  private final Map<TopicPartition, Long> remaining = new ConcurrentHashMap<>();
  // Records to restore per changelog partition when its restore started: the status page's
  // progress is (total - remaining) / total.
  private final Map<TopicPartition, Long> totals = new ConcurrentHashMap<>();
  private RestoreSession session;

  RestoreCoordinator(
      String thread,
      RuntimeSetup setup,
      ThreadClients clients,
      TaskMetrics metrics,
      RuntimeClock clock) {
    this.thread = thread;
    this.setup = setup;
    this.clients = clients;
    this.metrics = metrics;
    this.clock = clock;
    this.cache = dev.weir.store.StateCache.of(setup.stateCacheMaxBytes());
    this.departed = new DepartedProducers(thread, setup, clients, metrics);
    this.restorer =
        ChangelogRestorer.create()
            .withBulkLoadThreshold(setup.restoreBulkLoadRecords())
            .withListener(
                new RestoreListener() {
                  @Override
                  public void onStart(String store, TopicPartition partition, long from, long to) {
                    remaining.put(partition, Math.max(0, to - from));
                    totals.put(partition, Math.max(0, to - from));
                    tellUser(() -> setup.userRestoreListener().onStart(store, partition, from, to));
                  }

                  @Override
                  public void onBatch(
                      String store, TopicPartition partition, long done, long total) {
                    remaining.put(partition, Math.max(0, total - done));
                    totals.put(partition, Math.max(0, total));
                    tellUser(
                        () -> setup.userRestoreListener().onBatch(store, partition, done, total));
                  }

                  @Override
                  public void onEnd(String store, TopicPartition partition, long restored) {
                    remaining.remove(partition);
                    totals.remove(partition);
                    metrics.restoredRecords.add(restored);
                    tellUser(() -> setup.userRestoreListener().onEnd(store, partition, restored));
                  }
                });
  }

  /** A user's listener that throws must not break the restore: the error is logged. */
  private void tellUser(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(RestoreCoordinator.class)
          .warn("{}: the restore listener threw; the restore goes on", thread, e);
    }
  }

  /**
   * Fences the open transactions of threads that left the group (design record 017), so that the
   * wait of {@link #awaitOpenTransactions} and read_committed readers of what they wrote do not
   * last until the broker's transaction timeout.
   */
  void fenceDepartedOwners() {
    departed.fence();
  }

  /**
   * Waits for a previous owner's transactions on {@code changelogs} to end (KIP-447: a transaction
   * holding offsets of the new tasks' inputs; the restore must see its state changes), see {@link
   * OpenTransactions}.
   */
  void awaitOpenTransactions(Collection<TopicPartition> changelogs) {
    if (!changelogs.isEmpty()) {
      OpenTransactions.awaitNone(clients.admin(), changelogs, setup.openTransactionWait(), clock);
    }
  }

  /** A new stateful task to restore: its stores, its inputs and their committed offsets. */
  record NewTask(
      TaskId id,
      List<TaskState.StoreSpec> specs,
      List<TopicPartition> inputs,
      Map<TopicPartition, OffsetAndMetadata> committed) {}

  /**
   * Opens new stateful tasks' stores, wipes those too old to restore from, adds them to the restore
   * session and pauses the tasks' inputs until {@link #poll} reports them ready. The stores are
   * opened in parallel ({@link ParallelOpen}) and checked for staleness with one round of offset
   * requests for all tasks (design record 025).
   *
   * @param tasks the tasks, none of them restoring already
   */
  void add(List<NewTask> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    RestoreSession s = session();
    // A standby of a task on another thread of this instance closes in that thread's handling of
    // the same rebalance; its state directory is the task's.
    for (NewTask t : tasks) {
      setup.replicas().awaitStandbyReleased(t.id(), thread, STANDBY_HANDOFF);
    }
    List<TaskStateStore> opened =
        ParallelOpen.openAll(
            tasks.size(),
            i ->
                setup
                    .stateBackend()
                    .open(tasks.get(i).id().toString(), TaskState.storeNames(tasks.get(i).specs())),
            thread);
    List<StaleStateGuard.Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      NewTask t = tasks.get(i);
      candidates.add(
          new StaleStateGuard.Candidate(
              opened.get(i),
              TaskState.storeNames(t.specs()),
              TaskState.changelogs(t.specs(), t.id().partition()).values()));
    }
    // Local state too old to restore from (tombstones may be gone) is wiped first. On failure the
    // guard has closed every state.
    List<TaskStateStore> bases =
        setup
            .staleStateGuard()
            .wipeIfStale(setup.stateBackend(), candidates, clients.restoreConsumer());
    int added = 0;
    try {
      for (; added < tasks.size(); added++) {
        NewTask t = tasks.get(added);
        TaskStateStore base = bases.get(added);
        s.add(base, TaskState.changelogs(t.specs(), t.id().partition()));
        restoring.put(
            t.id(), new Restoring(base, t.specs(), t.inputs(), t.committed(), clock.nanos()));
        clients.consumer().pause(t.inputs());
      }
    } catch (RuntimeException e) {
      // The session owns what it was given; the rest is closed here.
      for (int i = added; i < bases.size(); i++) {
        if (!restoring.containsKey(tasks.get(i).id())) {
          bases.get(i).close();
        }
      }
      throw e;
    }
  }

  boolean isEmpty() {
    return restoring.isEmpty();
  }

  boolean contains(TaskId id) {
    return restoring.containsKey(id);
  }

  Set<TaskId> ids() {
    return restoring.keySet();
  }

  /**
   * Advances the restore. Waits up to one poll interval for changelog records when no other task
   * runs, and only briefly otherwise, so that running tasks keep their latency.
   *
   * @param othersRunning whether the thread runs tasks besides those restoring
   * @return the tasks whose state is now restored, removed from this coordinator
   */
  List<Ready> poll(boolean othersRunning) {
    Duration timeout = othersRunning ? POLL_WHILE_PROCESSING : Duration.ofMillis(setup.pollMs());
    Map<String, RestoreResult> done = session().poll(timeout);
    List<Ready> ready = new ArrayList<>();
    for (String task : done.keySet()) {
      TaskId id = TaskId.parse(task);
      Restoring r = restoring.remove(id);
      metrics.restoreTimeNanos.add(clock.nanos() - r.startNanos());
      ready.add(
          new Ready(
              id,
              TaskState.wrap(r.base(), id.partition(), r.specs(), cache),
              r.inputs(),
              r.committed()));
    }
    return ready;
  }

  /** The write-back cache budget every task of this thread shares; on the thread only. */
  dev.weir.store.StateCache cache() {
    return cache;
  }

  /** The task is running: its inputs may be fetched again. */
  void resume(Ready ready) {
    clients.consumer().resume(ready.inputs());
  }

  /** Removes every restoring task from the session, keeping what it restored, and closes it. */
  void closeAll() {
    remove(List.copyOf(restoring.keySet()));
  }

  /**
   * Removes restoring tasks from the session, keeping what they restored, and closes their stores;
   * the other restoring tasks go on. Ids of tasks not restoring are ignored.
   *
   * @param ids the tasks; not null
   */
  void remove(Collection<TaskId> ids) {
    for (TaskId id : List.copyOf(ids)) {
      Restoring r = restoring.remove(id);
      if (r == null) {
        continue;
      }
      try {
        session.remove(id.toString());
      } catch (RuntimeException e) {
        LOG.warn("{}: task {}: keeping its restore progress failed", thread, id, e);
      } finally {
        r.base().close();
        // Progress of a task no longer restored here leaves the gauges and the status page.
        TaskState.changelogs(r.specs(), id.partition())
            .values()
            .forEach(
                tp -> {
                  remaining.remove(tp);
                  totals.remove(tp);
                });
      }
    }
  }

  /** Changelog records still to restore (at most); 0 when not restoring. Any thread. */
  long remaining() {
    return remaining.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Restore progress per changelog partition being restored: {remaining, total} records. Any
   * thread; a new map.
   */
  Map<TopicPartition, long[]> progress() {
    Map<TopicPartition, long[]> out = new java.util.HashMap<>();
    remaining.forEach((tp, left) -> out.put(tp, new long[] {left, totals.getOrDefault(tp, left)}));
    return out;
  }

  /** Closes the restore session; never throws. */
  void close() {
    if (session != null) {
      ThreadClients.closeQuietly(session::close, thread, "restore session");
    }
  }

  private RestoreSession session() {
    if (session == null) {
      session =
          restorer
              .withRawFetch(
                  setup.restoreRawFetch() ? setup.restoreConsumerConfig(clients.index()) : null)
              .session(clients.restoreConsumer(), setup.restoreWriters());
    }
    return session;
  }
}
