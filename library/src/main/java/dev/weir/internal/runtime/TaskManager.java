package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SourceTransformation;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.metrics.TaskMetricScope;
import dev.weir.internal.task.RecordCollector;
import dev.weir.internal.task.StreamTask;
import dev.weir.internal.task.TaskBuilder;
import dev.weir.internal.task.TaskContext;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskMetrics;
import dev.weir.internal.task.TaskState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tasks of one stream thread: creates them (stateless ones start at once, stateful ones wait
 * for their state through the {@link RestoreCoordinator}), finds the task of a partition, runs
 * their periodic work, commits them in {@link CommitOrder}, rolls them back to the last commit and
 * closes them. Thread-confined to its stream thread, except {@link #ownedTasks()}.
 */
final class TaskManager {
  private static final Logger LOG = LoggerFactory.getLogger(TaskManager.class);

  private final String thread;
  private final RuntimeSetup setup;
  private final Plan plan;
  private final TaskBuilder taskBuilder;
  private final TaskMetrics metrics;
  private java.util.function.Function<TaskId, TaskMetricScope> metricScopes;
  private final RuntimeClock clock;
  private final RestoreCoordinator restore;
  private final AssignorContext assignor;
  private final Map<TaskId, StreamTask> tasks = new TreeMap<>();
  private final Map<TopicPartition, StreamTask> byPartition = new HashMap<>();
  private final Map<String, Boolean> startAtLatest = new HashMap<>();
  private final Map<TaskId, BroadcastReader> broadcast = new HashMap<>();
  private Consumer<byte[], byte[]> consumer;
  private RecordCollector collector;

  /** Released by every async result of any task of the thread; the thread waits on it. */
  private final java.util.concurrent.Semaphore asyncSignal = new java.util.concurrent.Semaphore(0);

  /** Tasks whose inputs this class paused because an async operator was full (record 010). */
  private final Map<TaskId, List<TopicPartition>> blocked = new HashMap<>();

  /** Why running inputs are paused: full async operators and fetch alignment. */
  private final InputPauses pauses;

  private final FetchAlignment alignment;

  /** The sub-topologies that write to a repartition topic: each is one alignment group. */
  private final Set<Integer> exchangeWriters = new HashSet<>();

  /** The running tasks with an async operator, and their input partitions. */
  private final Map<TaskId, List<TopicPartition>> asyncTasks = new HashMap<>();

  /** Running and restoring tasks, for other threads. */
  private volatile Set<TaskId> ownedTasks = Set.of();

  /** The sub-topology reading each input topic: a partition's task. */
  private final Map<String, Integer> subOfTopic = new HashMap<>();

  private QueryableTasks queries;

  TaskManager(
      String thread,
      RuntimeSetup setup,
      TaskMetrics metrics,
      RuntimeClock clock,
      RestoreCoordinator restore,
      AssignorContext assignor) {
    this.thread = thread;
    this.setup = setup;
    this.plan = setup.plan();
    this.taskBuilder = TaskBuilder.forPlan(plan, setup.errors(), setup::taskCount);
    this.metrics = metrics;
    this.clock = clock;
    this.restore = restore;
    this.assignor = assignor;
    this.pauses = new InputPauses(metrics);
    this.alignment =
        new FetchAlignment(
            setup.alignmentMaxDriftMs(), pauses, this::caughtUp, this::alignmentGroup);
    for (SubTopology s : plan.subTopologies()) {
      if (!s.writes().isEmpty()) {
        exchangeWriters.add(s.id());
      }
      plan.inputTopics(s).forEach(t -> subOfTopic.put(t, s.id()));
      for (SourceTransformation<?> src : s.sources()) {
        src.source().topics().forEach(t -> startAtLatest.put(t, src.source().startAtLatest()));
      }
      for (SourceTransformation<?> src : s.broadcastSources()) {
        src.source().topics().forEach(t -> startAtLatest.put(t, src.source().startAtLatest()));
      }
    }
  }

  /** Binds the clients, once they exist. */
  void bind(Consumer<byte[], byte[]> groupConsumer, RecordCollector tasksWriteTo) {
    this.consumer = groupConsumer;
    this.collector = tasksWriteTo;
    pauses.bind(groupConsumer);
  }

  /** The running task reading {@code partition}, or null (revoked during the last poll). */
  StreamTask task(TopicPartition partition) {
    return byPartition.get(partition);
  }

  /** The running tasks, in task order. */
  Collection<StreamTask> running() {
    return tasks.values();
  }

  boolean hasRunning() {
    return !tasks.isEmpty();
  }

  boolean isRestoring() {
    return !restore.isEmpty();
  }

  /** Running and restoring tasks; safe to call from any thread. */
  Set<TaskId> ownedTasks() {
    return ownedTasks;
  }

  /** Creates the tasks of {@code assigned} this thread does not run or restore yet. */
  void onAssigned(List<TaskId> assigned) {
    List<TaskId> missing = new ArrayList<>();
    for (TaskId id : assigned) {
      if (!tasks.containsKey(id) && !restore.contains(id)) {
        missing.add(id);
      }
    }
    createTasks(missing);
    LOG.info("{}: assigned tasks {}; restoring {}", thread, tasks.keySet(), restore.ids());
  }

  /**
   * The tasks this thread runs or restores that read one of {@code partitions}.
   *
   * @param partitions input partitions, typically revoked ones; not null
   * @return a new set in task order; not null
   */
  Set<TaskId> tasksOf(Collection<TopicPartition> partitions) {
    Set<TaskId> out = new TreeSet<>();
    for (TopicPartition tp : partitions) {
      Integer sub = subOfTopic.get(tp.topic());
      TaskId id = sub == null ? null : new TaskId(sub, tp.partition());
      if (id != null && (tasks.containsKey(id) || restore.contains(id))) {
        out.add(id);
      }
    }
    return out;
  }

  /** Whether one of {@code ids} is running (so that its work must be committed before it goes). */
  boolean runsAny(Collection<TaskId> ids) {
    for (TaskId id : ids) {
      if (tasks.containsKey(id)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Closes tasks the group took away: running ones {@code clean} (their work is committed) or dirty
   * (it was rolled back), restoring ones keeping what they restored. The thread's other tasks are
   * left alone: under cooperative rebalancing they keep processing.
   *
   * @param ids the revoked tasks; not null
   * @param clean whether their work since the last commit is committed
   */
  void closeRevoked(Collection<TaskId> ids, boolean clean) {
    metrics.tasksRevoked.add(ids.size());
    try {
      closeRunning(ids, clean, "revoked");
    } finally {
      List<TaskId> restoring = new ArrayList<>();
      for (TaskId id : ids) {
        if (restore.contains(id)) {
          restoring.add(id);
        }
      }
      restore.remove(restoring);
      closed(restoring, "revoked while restoring");
      ownedChanged();
      if (assignor.cooperative) {
        // A revoked task is not claimed again: the follow-up rebalance gives it to its new owner.
        // Eager members revoke everything and keep claiming it all, for stickiness.
        assignor.ownedTasks = ownedTasks;
      }
    }
  }

  /**
   * Creates tasks. A stateless task runs at once. A stateful task opens its stores and joins the
   * restore session; its inputs stay paused until {@link #restoreStep} starts it.
   */
  void createTasks(Collection<TaskId> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Map<TaskId, List<TopicPartition>> inputsOf = new LinkedHashMap<>();
    Set<TopicPartition> allInputs = new HashSet<>();
    List<TopicPartition> changelogs = new ArrayList<>();
    for (TaskId id : ids) {
      SubTopology s = plan.subTopology(id.subTopology());
      List<TopicPartition> inputs = new ArrayList<>();
      for (String topic : plan.inputTopics(s)) {
        inputs.add(new TopicPartition(topic, id.partition()));
      }
      inputsOf.put(id, inputs);
      allInputs.addAll(inputs);
      for (String store : plan.stores(s)) {
        changelogs.add(new TopicPartition(plan.changelogTopic(store), id.partition()));
      }
    }
    // A departed previous owner's open transaction is aborted first: until then the committed
    // offsets below can be pending in it, and its changelog writes hold up the wait after them.
    restore.fenceDepartedOwners();
    // One request for all new tasks, then the wait for open transactions: the restore must see
    // the state changes of a previous owner's transaction holding these offsets.
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(allInputs);
    restore.awaitOpenTransactions(changelogs);
    List<RestoreCoordinator.NewTask> stateful = new ArrayList<>();
    for (Map.Entry<TaskId, List<TopicPartition>> e : inputsOf.entrySet()) {
      TaskId id = e.getKey();
      List<TopicPartition> inputs = e.getValue();
      metrics.tasksCreated.increment();
      // Only this task's partitions: event-time state is restored per input topic.
      Map<TopicPartition, OffsetAndMetadata> own = new HashMap<>();
      for (TopicPartition tp : inputs) {
        own.put(tp, committed.get(tp));
      }
      List<String> stores = plan.stores(plan.subTopology(id.subTopology()));
      if (stores.isEmpty()) {
        startTask(id, inputs, own, null);
        LOG.info("{}: task {} created, running", thread, id);
        continue;
      }
      List<TaskState.StoreSpec> specs = new ArrayList<>();
      for (String store : stores) {
        specs.add(new TaskState.StoreSpec(store, plan.changelogTopic(store)));
      }
      stateful.add(new RestoreCoordinator.NewTask(id, specs, inputs, own));
    }
    // All at once: their stores open in parallel, one round of offset requests checks them.
    restore.add(stateful);
    stateful.forEach(t -> LOG.info("{}: task {} created, restoring its state", thread, t.id()));
    ownedChanged();
    // Claimed in the next subscription, also after an eager revocation closed them all.
    assignor.ownedTasks = ownedTasks;
  }

  /** Advances the restore of waiting tasks and starts those whose state is ready. */
  void restoreStep() {
    List<RestoreCoordinator.Ready> ready = restore.poll(!tasks.isEmpty());
    if (ready.isEmpty()) {
      return;
    }
    List<TaskId> started = new ArrayList<>();
    for (RestoreCoordinator.Ready r : ready) {
      startTask(r.id(), r.inputs(), r.committed(), r.state());
      restore.resume(r);
      started.add(r.id());
    }
    ownedChanged();
    LOG.info(
        "{}: restored tasks {}; running {}, restoring {}",
        thread,
        started,
        tasks.keySet(),
        restore.ids());
  }

  /** Where the thread's tasks are published for interactive queries; before the thread starts. */
  void setQueries(QueryableTasks queries) {
    this.queries = queries;
  }

  /** Where each new task registers its metrics; before the thread starts. */
  void setMetricScopes(java.util.function.Function<TaskId, TaskMetricScope> scopes) {
    this.metricScopes = scopes;
  }

  /** Builds, opens and registers a task whose state (if any) is restored. */
  private void startTask(
      TaskId id,
      List<TopicPartition> inputs,
      Map<TopicPartition, OffsetAndMetadata> committed,
      TaskState state) {
    TaskContext ctx =
        new TaskContext(
            setup.applicationId(),
            id,
            setup.taskCount(id.subTopology()),
            collector,
            clock::millis,
            metrics);
    ctx.setSerdeConfigs(setup.config().originals());
    if (metricScopes != null) {
      ctx.setMetricScope(metricScopes.apply(id));
    }
    ctx.setAsyncSignal(asyncSignal);
    if (state != null) {
      ctx.setState(state);
    }
    StreamTask task = taskBuilder.build(id, ctx);
    task.setTtlCleanupBatch(setup.ttlCleanupBatch());
    try {
      task.open();
    } catch (Exception e) {
      task.close(false);
      throw new WeirException("Task " + id + ": opening its operators failed: " + e, e);
    }
    // The event-time state committed with the offsets: watermarks never go backwards.
    task.restoreEventTime(committed);
    if (!task.broadcastTopics().isEmpty()) {
      try {
        broadcast.put(
            id,
            BroadcastReader.open(
                task,
                setup.clients().consumer(setup.broadcastConsumerConfig(thread, id)),
                t -> startAtLatest.getOrDefault(t, false)));
      } catch (Exception e) {
        task.close(false);
        throw new WeirException("Task " + id + ": reading its broadcast inputs failed: " + e, e);
      }
    }
    tasks.put(id, task);
    for (TopicPartition tp : inputs) {
      byPartition.put(tp, task);
    }
    if (task.hasAsync()) {
      asyncTasks.put(id, inputs);
    }
  }

  /** Processes the broadcast records fetched for every running task, without waiting. */
  void pollBroadcast() throws Exception {
    for (BroadcastReader r : broadcast.values()) {
      r.poll();
    }
  }

  /** Passes event time on in every running task (watermarks, event-time timers). */
  void advanceEventTime(long now) {
    for (StreamTask t : tasks.values()) {
      advanceEventTime(t, now);
    }
  }

  /** Passes event time on in {@code task}. */
  void advanceEventTime(StreamTask task, long now) {
    task.advanceEventTime(now, topic -> caughtUp(task, topic));
  }

  /** Fires the processing-time timers due at {@code now}. */
  void fireProcessingTimers(long now) {
    for (StreamTask t : tasks.values()) {
      t.fireProcessingTimers(now);
    }
  }

  /** Whether the consumer has read task {@code t}'s partition of {@code topic} to its end. */
  private boolean caughtUp(StreamTask t, String topic) {
    return caughtUp(new TopicPartition(topic, t.id().partition()));
  }

  /** Whether the consumer has read {@code tp} to its end: its lag is known and zero. */
  private boolean caughtUp(TopicPartition tp) {
    OptionalLong lag = consumer.currentLag(tp);
    return lag.isPresent() && lag.getAsLong() == 0;
  }

  /**
   * The alignment group of a task's source partitions (see {@link FetchAlignment}): its
   * sub-topology's when that writes to a repartition topic, else its own. Tasks in task order keep
   * each group together.
   */
  private long alignmentGroup(StreamTask t) {
    int sub = t.id().subTopology();
    return exchangeWriters.contains(sub) ? -1L - sub : ((long) sub << 32) | t.id().partition();
  }

  /**
   * Fetch alignment: pauses the source partitions too far ahead in event time, resumes those no
   * longer ahead ({@link FetchAlignment}); nothing when {@code watermark.alignment.max.drift.ms}
   * turns it off.
   */
  void align() {
    alignment.align(tasks.values());
  }

  long uncommittedStateBytes() {
    long sum = 0;
    for (StreamTask t : tasks.values()) {
      sum += t.uncommittedStateBytes();
    }
    return sum;
  }

  /**
   * Commits the running tasks in {@link CommitOrder}, after waiting for their async requests in
   * flight (design record 010).
   *
   * @return the committed offsets, or null when there was nothing to commit
   */
  Map<TopicPartition, OffsetAndMetadata> commit(CommitOrder.Transaction transaction) {
    for (TaskId id : asyncTasks.keySet()) {
      StreamTask t = tasks.get(id);
      try {
        t.awaitAsync(asyncSignal);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new WeirException("Task " + id + ": async results before the commit: " + e, e);
      }
    }
    return CommitOrder.commit(tasks.values(), transaction, metrics, clock::nanos);
  }

  // ---- Async I/O (design record 010) ----

  /** Whether a task has async requests in flight: the thread must not block in poll then. */
  boolean asyncBusy() {
    for (TaskId id : asyncTasks.keySet()) {
      if (tasks.get(id).asyncInFlight() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Emits the async results that arrived, feeds buffered records to tasks with room again, passes
   * on event time a result released, and pauses or resumes the inputs of tasks that are full.
   *
   * @return whether any result arrived
   */
  boolean runAsync(long now) throws Exception {
    boolean any = false;
    for (Map.Entry<TaskId, List<TopicPartition>> e : asyncTasks.entrySet()) {
      StreamTask t = tasks.get(e.getKey());
      if (t.runAsync()) {
        any = true;
        t.releaseHeldEventTime(now);
      }
      boolean full = t.isBlocked();
      if (full && !blocked.containsKey(e.getKey())) {
        pauses.pause(e.getValue(), InputPauses.Reason.ASYNC_FULL);
        blocked.put(e.getKey(), e.getValue());
      } else if (!full && blocked.containsKey(e.getKey())) {
        pauses.resume(blocked.remove(e.getKey()), InputPauses.Reason.ASYNC_FULL);
      }
    }
    return any;
  }

  /**
   * Waits until an async result arrives, at most {@code maxMs} and never past the next async
   * timeout or retry: the thread's idle wait while requests are in flight, instead of a poll that
   * would not wake for results.
   */
  void awaitAsync(long maxMs) throws InterruptedException {
    asyncSignal.drainPermits();
    long next = Long.MAX_VALUE;
    for (TaskId id : asyncTasks.keySet()) {
      StreamTask t = tasks.get(id);
      if (t.hasAsyncCompletions()) {
        return;
      }
      next = Math.min(next, t.nextAsyncDeadline());
    }
    long wait = Math.min(maxMs, next == Long.MAX_VALUE ? maxMs : next - clock.millis());
    if (wait > 0) {
      asyncSignal.tryAcquire(wait, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Drops everything since the last commit: closes the tasks dirty, rewinds the consumer to the
   * committed offsets and creates the tasks again. The producer must be clean already.
   */
  void rollBack() {
    rollBack(Set.of());
  }

  /**
   * {@link #rollBack()}, leaving {@code revoked} partitions alone: inside a revocation the consumer
   * still lists them, but their tasks are gone and their positions no longer matter.
   */
  void rollBack(Set<TopicPartition> revoked) {
    Set<TaskId> ids = Set.copyOf(tasks.keySet());
    closeRunning(ids, false, "rolled back");
    Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
    assigned.removeAll(revoked);
    if (!assigned.isEmpty()) {
      rewindToCommitted(assigned);
    }
    createTasks(ids);
  }

  private void rewindToCommitted(Set<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions);
    List<TopicPartition> none = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata om = committed.get(tp);
      if (om == null) {
        none.add(tp);
      } else {
        consumer.seek(tp, om.offset());
      }
    }
    resetWithoutCommittedOffset(none);
  }

  /** Seeks partitions without a committed offset to their source's start position. */
  void resetWithoutCommittedOffset(Collection<TopicPartition> partitions) {
    List<TopicPartition> toEnd = new ArrayList<>();
    List<TopicPartition> toBeginning = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (startAtLatest.getOrDefault(tp.topic(), false)) {
        toEnd.add(tp);
      } else {
        toBeginning.add(tp);
      }
    }
    if (!toEnd.isEmpty()) {
      consumer.seekToEnd(toEnd);
    }
    if (!toBeginning.isEmpty()) {
      consumer.seekToBeginning(toBeginning);
    }
  }

  /**
   * Closes every task, running or restoring; {@code clean} false drops uncommitted state.
   *
   * @param clean whether the tasks' work since the last commit is committed
   * @param reason for the log line of each task: shutdown, lost, failure, ...
   */
  void closeAll(boolean clean, String reason) {
    try {
      closeRunning(Set.copyOf(tasks.keySet()), clean, reason);
    } finally {
      List<TaskId> restoring = List.copyOf(restore.ids());
      restore.closeAll();
      closed(restoring, reason + " while restoring");
      ownedChanged();
    }
  }

  private void closeRunning(Collection<TaskId> ids, boolean clean, String reason) {
    try {
      for (TaskId id : List.copyOf(ids)) {
        StreamTask t = tasks.remove(id);
        BroadcastReader r = broadcast.remove(id);
        if (r != null) {
          r.close();
        }
        asyncTasks.remove(id);
        blocked.remove(id);
        // Paused for any reason (a full async operator, alignment): whatever reads the inputs
        // next, a restore or a new running task, starts from unpaused partitions.
        pauses.release(inputsOf(id));
        if (t != null) {
          // How far the local copy reached, for the lags the assignor compares: the base holds
          // only committed writes, so this holds after a dirty close too.
          setup.replicas().recordOffsetSum(id, t.committedOffsetSum());
          metrics.tasksClosed.increment();
          LOG.info("{}: task {} closed {} ({})", thread, id, clean ? "clean" : "dirty", reason);
          t.close(clean);
        }
      }
    } finally {
      byPartition.values().removeIf(t -> !tasks.containsKey(t.id()));
    }
  }

  /** Counts and logs restoring tasks that were closed. */
  private void closed(Collection<TaskId> restoring, String reason) {
    for (TaskId id : restoring) {
      metrics.tasksClosed.increment();
      LOG.info("{}: task {} closed ({})", thread, id, reason);
    }
  }

  /** The input partitions of running task {@code id}. */
  private List<TopicPartition> inputsOf(TaskId id) {
    List<TopicPartition> out = new ArrayList<>();
    byPartition.forEach(
        (tp, t) -> {
          if (t.id().equals(id)) {
            out.add(tp);
          }
        });
    return out;
  }

  private void ownedChanged() {
    Set<TaskId> owned = new TreeSet<>(tasks.keySet());
    owned.addAll(restore.ids());
    ownedTasks = Set.copyOf(owned);
    if (queries != null) {
      Map<TaskId, TaskState> running = new HashMap<>();
      tasks.forEach(
          (id, t) -> {
            if (t.context().state() != null) {
              running.put(id, t.context().state());
            }
          });
      queries.publish(thread, running, restore.ids());
    }
  }
}
