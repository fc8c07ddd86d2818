package dev.weir.internal.runtime;

import dev.weir.WeirConfig;
import dev.weir.errors.RecordProcessingException;
import dev.weir.errors.WeirException;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.SourceTransformation;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.state.TaskState;
import dev.weir.internal.task.StreamTask;
import dev.weir.internal.task.TaskBuilder;
import dev.weir.internal.task.TaskContext;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskMetrics;
import dev.weir.internal.time.TaskWatermarks;
import dev.weir.store.ChangelogRestorer;
import dev.weir.store.RestoreListener;
import dev.weir.store.RestoreResult;
import dev.weir.store.RestoreSession;
import dev.weir.store.TaskStateStore;
import dev.weir.stream.StartPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread: one consumer, one producer, a set of tasks. Loop: poll, process every returned
 * record through its task, commit every {@code commit.interval.ms}.
 *
 * <p>Commit order under exactly-once (see docs/architecture.md): tasks flush what belongs in the
 * transaction, consumed offsets go into it with the consumer's group metadata (KIP-447 fencing),
 * the transaction commits, then tasks apply their committed state. Any failure before the commit
 * returns rolls every task back to the last committed offsets: tasks are closed dirty (uncommitted
 * state dropped), the consumer seeks to the committed offsets, tasks are rebuilt. A commit that
 * timed out has an unknown outcome: the producer is replaced rather than used to abort.
 */
final class StreamThread extends Thread {
  private static final Logger LOG = LoggerFactory.getLogger(StreamThread.class);

  /** How long a restore step waits for changelog records while other tasks are running. */
  private static final Duration RESTORE_POLL_WHILE_PROCESSING = Duration.ofMillis(5);

  /** A stateful task whose stores are being restored. */
  private record Restoring(
      TaskStateStore base,
      List<TaskState.StoreSpec> specs,
      List<TopicPartition> inputs,
      Map<TopicPartition, OffsetAndMetadata> committed,
      long startNanos) {}

  /** A thread's lifecycle; transitions are checked. */
  enum State {
    CREATED,
    STARTING,
    PARTITIONS_REVOKED,
    PARTITIONS_ASSIGNED,
    RUNNING,
    PENDING_SHUTDOWN,
    DEAD;

    boolean canMoveTo(State next) {
      return switch (this) {
        case CREATED -> next == STARTING || next == PENDING_SHUTDOWN;
        case STARTING, RUNNING, PARTITIONS_ASSIGNED -> next != CREATED && next != STARTING;
        case PARTITIONS_REVOKED -> next != CREATED && next != STARTING;
        case PENDING_SHUTDOWN -> next == DEAD;
        case DEAD -> false;
      };
    }
  }

  /** What the thread tells its application. */
  interface Listener {
    void onStateChange(StreamThread thread, State from, State to);

    void onFailure(StreamThread thread, Throwable error);
  }

  private final int index;
  private final RuntimeSetup setup;
  private final Plan plan;
  private final TaskBuilder taskBuilder;
  private final Listener listener;
  private final AssignorContext assignorContext;
  private final TaskMetrics metrics = new TaskMetrics();
  private final Map<TaskId, StreamTask> tasks = new TreeMap<>();
  private final Map<TopicPartition, StreamTask> byPartition = new HashMap<>();
  private final Map<String, StartPosition> startPositions = new HashMap<>();
  private volatile State state = State.CREATED;
  private volatile boolean shutdownRequested;
  private Consumer<byte[], byte[]> consumer;
  private volatile Consumer<byte[], byte[]> restoreConsumer;
  private RestoreSession restoreSession;

  /** Stateful tasks waiting for their state, whose inputs are paused meanwhile. */
  private final Map<TaskId, Restoring> restoring = new TreeMap<>();

  /** {@link #tasks} and {@link #restoring}, for other threads. */
  private volatile Set<TaskId> ownedTasks = Set.of();

  private final ChangelogRestorer restorer;
  private ThreadProducer producer;
  private long lastCommitMs;
  private long lastWatermarkMs;
  private long lastPurgeMs = System.currentTimeMillis();
  private final Map<TopicPartition, Long> purgeable = new HashMap<>();
  private final Set<String> repartitionTopics;
  private org.apache.kafka.clients.admin.Admin admin;
  private final Map<TaskId, long[]> stalls = new HashMap<>();
  private volatile Map<String, Long> eventTimeMetrics = Map.of();
  private final Map<TopicPartition, Long> restoreRemaining =
      new java.util.concurrent.ConcurrentHashMap<>();
  private int consecutiveFailures;

  StreamThread(int index, RuntimeSetup setup, Listener listener, AtomicBoolean shutdownApp) {
    super(setup.applicationId() + "-StreamThread-" + index);
    this.index = index;
    this.setup = setup;
    this.plan = setup.plan();
    this.taskBuilder = new TaskBuilder(plan, setup.errors(), setup::taskCount);
    this.listener = listener;
    this.assignorContext = new AssignorContext(plan, setup.instanceId(), index, shutdownApp);
    this.repartitionTopics = Set.copyOf(plan.repartitionTopics().values());
    int threads = setup.config().getInt(WeirConfig.NUM_STREAM_THREADS_CONFIG);
    Set<TaskId> local = new java.util.TreeSet<>();
    for (TaskId t : setup.localStateTasks()) {
      if (Math.floorMod(t.hashCode(), threads) == index) {
        local.add(t);
      }
    }
    assignorContext.ownedTasks = Set.copyOf(local);
    this.restorer =
        ChangelogRestorer.create()
            .withListener(
                new RestoreListener() {
                  @Override
                  public void onStart(String store, TopicPartition partition, long from, long to) {
                    restoreRemaining.put(partition, Math.max(0, to - from));
                  }

                  @Override
                  public void onBatch(
                      String store, TopicPartition partition, long done, long total) {
                    restoreRemaining.put(partition, Math.max(0, total - done));
                  }

                  @Override
                  public void onEnd(String store, TopicPartition partition, long restored) {
                    restoreRemaining.remove(partition);
                    metrics.restoredRecords.add(restored);
                  }
                });
    for (SubTopology s : plan.subTopologies()) {
      for (SourceTransformation<?> src : s.sources()) {
        src.source().topics().forEach(t -> startPositions.put(t, src.source().startPosition()));
      }
    }
  }

  TaskMetrics metrics() {
    return metrics;
  }

  State threadState() {
    return state;
  }

  int index() {
    return index;
  }

  /** The tasks of this thread, running or restoring; safe to call from any thread. */
  Set<TaskId> taskIds() {
    return ownedTasks;
  }

  /** State directory cleaner hook: tasks assigned to this thread or claimed for its next one. */
  Set<TaskId> claimedTasks() {
    Set<TaskId> claimed = new java.util.HashSet<>(assignorContext.assignedTasks);
    claimed.addAll(assignorContext.ownedTasks);
    return claimed;
  }

  private synchronized void setState(State next) {
    State prev = state;
    if (prev == next) {
      return;
    }
    if (!prev.canMoveTo(next)) {
      throw new IllegalStateException(
          "Stream thread " + index + ": illegal transition " + prev + " -> " + next);
    }
    state = next;
    listener.onStateChange(this, prev, next);
  }

  /** Asks the thread to commit, close its tasks and stop; returns at once. */
  void shutdown() {
    shutdownRequested = true;
    if (consumer != null) {
      consumer.wakeup();
    }
    Consumer<byte[], byte[]> restore = restoreConsumer;
    if (restore != null) {
      restore.wakeup();
    }
  }

  @Override
  public void run() {
    Throwable failure = null;
    try {
      setState(State.STARTING);
      producer =
          new ThreadProducer(setup.clients(), setup.producerConfig(index), setup.exactlyOnce());
      producer.init();
      Map<String, Object> cc = setup.consumerConfig(index);
      cc.put(AssignorContext.CONFIG_KEY, assignorContext);
      consumer = setup.clients().consumer(cc);
      List<String> topics = new ArrayList<>();
      plan.subTopologies().forEach(s -> topics.addAll(plan.inputTopics(s)));
      consumer.subscribe(topics, new Rebalance());
      lastCommitMs = System.currentTimeMillis();
      while (!shutdownRequested) {
        runOnce();
      }
      commitOrRollback();
      closeAll(true);
    } catch (WakeupException | InterruptException e) {
      if (!shutdownRequested) {
        failure = e;
      } else {
        try {
          commitOrRollback();
          closeAll(true);
        } catch (RuntimeException again) {
          LOG.warn("{}: final commit failed; uncommitted work is rolled back", getName(), again);
          closeAll(false);
        }
      }
    } catch (Throwable t) {
      failure = t;
    } finally {
      if (failure != null) {
        LOG.error("{} failed", getName(), failure);
        closeAll(false);
        if (producer != null) {
          producer.abort();
        }
      }
      closeClients();
      setState(State.PENDING_SHUTDOWN);
      setState(State.DEAD);
      if (failure != null) {
        listener.onFailure(this, failure);
      }
    }
  }

  private void runOnce() {
    if (!restoring.isEmpty()) {
      restoreStep();
    }
    ConsumerRecords<byte[], byte[]> records;
    try {
      // While tasks restore, the restore step above does the waiting.
      records =
          consumer.poll(restoring.isEmpty() ? Duration.ofMillis(setup.pollMs()) : Duration.ZERO);
    } catch (NoOffsetForPartitionException e) {
      resetWithoutCommittedOffset(e.partitions());
      return;
    }
    if (assignorContext.errorCode == TaskAssignor.ERROR_SHUTDOWN_APPLICATION) {
      throw new ApplicationShutdownRequested();
    }
    if (state == State.PARTITIONS_ASSIGNED && restoring.isEmpty()) {
      setState(State.RUNNING);
    }
    try {
      for (TopicPartition tp : records.partitions()) {
        StreamTask task = byPartition.get(tp);
        if (task == null) {
          continue; // partition revoked during this poll's rebalance
        }
        StreamTask.Input input = task.input(tp);
        for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
          task.process(input, r);
        }
        if (task.context().takeMarkerArrived()) {
          // Pass event time on at once instead of at the next watermark interval: saves up to
          // one interval of latency per repartition hop.
          task.advanceEventTime(System.currentTimeMillis(), topic -> caughtUp(task, topic));
        }
        if (uncommittedStateBytes() > setup.maxUncommittedStateBytes()) {
          metrics.forcedCommits.increment();
          commitOrRollback();
        }
      }
    } catch (RecordProcessingException e) {
      throw e;
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      rollBack(e, true);
      return;
    } catch (KafkaException e) {
      rollBack(e, false);
      return;
    } catch (Exception e) {
      throw new WeirException(getName() + ": processing failed: " + e, e);
    }
    try {
      long now = System.currentTimeMillis();
      if (now - lastWatermarkMs >= setup.watermarkIntervalMs()) {
        lastWatermarkMs = now;
        for (StreamTask t : tasks.values()) {
          t.advanceEventTime(now, topic -> caughtUp(t, topic));
        }
        publishEventTime(now);
      }
      for (StreamTask t : tasks.values()) {
        t.fireProcessingTimers(now);
      }
    } catch (RecordProcessingException e) {
      throw e;
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      rollBack(e, true);
      return;
    } catch (KafkaException e) {
      rollBack(e, false);
      return;
    }
    if (System.currentTimeMillis() - lastCommitMs >= setup.commitIntervalMs()) {
      commitOrRollback();
    }
    if (System.currentTimeMillis() - lastPurgeMs >= setup.repartitionPurgeIntervalMs()) {
      purgeRepartitionTopics();
    }
  }

  /**
   * Deletes the records of repartition partitions below the offsets this thread committed: they
   * were consumed and their effects committed, so nothing can need them again. Asynchronous; a
   * failure only means the records stay until the next attempt.
   */
  private void purgeRepartitionTopics() {
    lastPurgeMs = System.currentTimeMillis();
    if (purgeable.isEmpty()) {
      return;
    }
    Map<TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> del = new HashMap<>();
    purgeable.forEach(
        (tp, off) -> del.put(tp, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(off)));
    purgeable.clear();
    if (admin == null) {
      admin = setup.clients().admin(setup.adminConfig());
    }
    admin
        .deleteRecords(del)
        .all()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.debug("{}: purging repartition records failed: {}", getName(), e.toString());
              }
            });
  }

  /**
   * Publishes each task's watermark, idleness and event-time lag (and each input's watermark) for
   * {@code metrics()}, and warns about watermarks that stopped advancing, naming the input holding
   * them.
   */
  private void publishEventTime(long now) {
    Map<String, Long> m = new java.util.LinkedHashMap<>();
    for (StreamTask t : tasks.values()) {
      TaskWatermarks w = t.context().watermarks();
      if (!w.tracksEventTime()) {
        continue;
      }
      String id = t.id().toString();
      long wm = w.watermark();
      m.put("watermark." + id, wm);
      m.put("watermark-idle." + id, w.idle() ? 1L : 0L);
      if (wm != Long.MIN_VALUE) {
        m.put("event-time-lag-ms." + id, now - wm);
      }
      w.inputs(t.id().partition())
          .forEach(
              (input, v) -> {
                m.put("watermark." + id + "." + input, v[0]);
                m.put("watermark-idle." + id + "." + input, v[1]);
              });
      long[] st = stalls.computeIfAbsent(t.id(), k -> new long[] {wm, now, 0});
      if (wm != st[0] || w.idle()) {
        st[0] = wm;
        st[1] = now;
      } else if (now - st[1] >= setup.watermarkStallWarnMs()
          && now - st[2] >= setup.watermarkStallWarnMs()) {
        st[2] = now;
        LOG.warn(
            "Task {}: watermark {} has not advanced for {} s; it is held back by {}. An input"
                + " without records holds event time back unless its WatermarkStrategy has"
                + " withIdleness(...)",
            id,
            wm == Long.MIN_VALUE ? "(none yet)" : wm,
            (now - st[1]) / 1000,
            w.holdingInput(t.id().partition()));
      }
    }
    stalls.keySet().retainAll(tasks.keySet());
    eventTimeMetrics = Map.copyOf(m);
  }

  /** The latest event-time metrics of this thread's tasks. */
  Map<String, Long> eventTimeMetrics() {
    return eventTimeMetrics;
  }

  /** Changelog records still to restore (at most) by this thread; 0 when not restoring. */
  long restoreRemaining() {
    return restoreRemaining.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Whether the consumer has read task {@code t}'s partition of {@code topic} to its end. */
  private boolean caughtUp(StreamTask t, String topic) {
    java.util.OptionalLong lag = consumer.currentLag(new TopicPartition(topic, t.id().partition()));
    return lag.isPresent() && lag.getAsLong() == 0;
  }

  /** Commits; on failure rolls back to the last commit (never rethrows unless failures pile up). */
  private void commitOrRollback() {
    try {
      commit();
      consecutiveFailures = 0;
    } catch (TimeoutException e) {
      // Outcome unknown: never abort with this producer. Replace it; initTransactions() of the
      // new one completes or aborts the pending transaction, then re-read committed offsets.
      rollBack(e, true);
    } catch (ProducerFencedException | InvalidProducerEpochException | CommitFailedException e) {
      rollBack(e, true);
    } catch (KafkaException e) {
      rollBack(e, false);
    }
  }

  private long uncommittedStateBytes() {
    long sum = 0;
    for (StreamTask t : tasks.values()) {
      sum += t.uncommittedStateBytes();
    }
    return sum;
  }

  private void commit() {
    lastCommitMs = System.currentTimeMillis();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (StreamTask t : tasks.values()) {
      t.prepareCommit();
      offsets.putAll(t.offsetsToCommit());
    }
    if (offsets.isEmpty() && !producer.inTransaction()) {
      return;
    }
    long start = System.nanoTime();
    if (setup.exactlyOnce()) {
      if (offsets.isEmpty()) {
        addFencingOffset(offsets);
      }
      producer.commitTransaction(offsets, consumer.groupMetadata());
    } else {
      producer.flush();
      if (!offsets.isEmpty()) {
        consumer.commitSync(offsets);
      }
    }
    for (StreamTask t : tasks.values()) {
      t.postCommit();
    }
    offsets.forEach(
        (tp, om) -> {
          if (repartitionTopics.contains(tp.topic())) {
            purgeable.put(tp, om.offset());
          }
        });
    metrics.commits.increment();
    metrics.commitTimeNanos.add(System.nanoTime() - start);
  }

  /**
   * Adds to a transaction without offsets one input offset committed again unchanged: the group
   * coordinator checks the generation of the member that sends offsets (KIP-447), so a zombie that
   * lost its tasks in a rebalance cannot commit timer output, watermark markers or changelog
   * records (TTL deletes) into partitions their new owner writes.
   */
  private void addFencingOffset(Map<TopicPartition, OffsetAndMetadata> offsets) {
    for (StreamTask t : tasks.values()) {
      Map.Entry<TopicPartition, OffsetAndMetadata> unchanged = t.unchangedOffset();
      if (unchanged != null) {
        offsets.put(unchanged.getKey(), unchanged.getValue());
        return;
      }
    }
  }

  /**
   * Drops everything since the last commit: aborts (or replaces) the producer, closes tasks dirty,
   * rewinds the consumer to the committed offsets and rebuilds the tasks.
   */
  private void rollBack(KafkaException cause, boolean replaceProducer) {
    metrics.aborts.increment();
    consecutiveFailures++;
    LOG.warn(
        "{}: rolling back to the last commit after {} (attempt {})",
        getName(),
        cause.toString(),
        consecutiveFailures);
    if (consecutiveFailures > setup.maxCommitFailures()) {
      throw new WeirException(
          getName()
              + ": "
              + consecutiveFailures
              + " consecutive commits failed; giving up. Last: "
              + cause
              + ". Check the brokers and the producer's logs; raise max.commit.failures"
              + " to tolerate longer outages.",
          cause);
    }
    if (replaceProducer || !producer.abort()) {
      producer.recreate();
    }
    Set<TaskId> ids = Set.copyOf(tasks.keySet());
    closeTasks(ids, false);
    Set<TopicPartition> assigned = consumer.assignment();
    if (!assigned.isEmpty()) {
      rewindToCommitted(assigned);
    }
    createTasks(ids);
    lastCommitMs = System.currentTimeMillis();
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

  private void resetWithoutCommittedOffset(Collection<TopicPartition> partitions) {
    List<TopicPartition> toEnd = new ArrayList<>();
    List<TopicPartition> toBeginning = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      if (startPositions.get(tp.topic()) == StartPosition.LATEST) {
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
   * Creates tasks. A stateless task runs at once. A stateful task opens its stores and joins the
   * thread's restore session: its input partitions stay paused until its changelogs are restored,
   * which {@link #restoreStep} drives from the poll loop, between the records of running tasks.
   */
  private void createTasks(Collection<TaskId> ids) {
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
    // Before the restore: this waits for a previous owner's transaction holding offsets of these
    // inputs (KIP-447), whose state changes the restore must then see (see OpenTransactions).
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(allInputs);
    if (!changelogs.isEmpty()) {
      if (admin == null) {
        admin = setup.clients().admin(setup.adminConfig());
      }
      OpenTransactions.awaitNone(admin, changelogs, setup.openTransactionWait());
    }
    for (Map.Entry<TaskId, List<TopicPartition>> e : inputsOf.entrySet()) {
      TaskId id = e.getKey();
      List<TopicPartition> inputs = e.getValue();
      // Only this task's partitions: event-time state is restored per input topic.
      Map<TopicPartition, OffsetAndMetadata> own = new HashMap<>();
      for (TopicPartition tp : inputs) {
        own.put(tp, committed.get(tp));
      }
      List<String> stores = plan.stores(plan.subTopology(id.subTopology()));
      if (stores.isEmpty()) {
        startTask(id, inputs, own, null);
        continue;
      }
      List<TaskState.StoreSpec> specs = new ArrayList<>();
      for (String store : stores) {
        specs.add(new TaskState.StoreSpec(store, plan.changelogTopic(store)));
      }
      List<String> names = TaskState.storeNames(specs);
      Map<String, TopicPartition> taskChangelogs = TaskState.changelogs(specs, id.partition());
      RestoreSession session = restoreSession();
      TaskStateStore base = setup.stateBackend().open(id.toString(), names);
      try {
        // Local state too old to restore from (tombstones may be gone) is wiped first.
        base =
            setup
                .staleStateGuard()
                .wipeIfStale(
                    setup.stateBackend(), base, names, taskChangelogs.values(), restoreConsumer);
        session.add(base, taskChangelogs);
      } catch (RuntimeException ex) {
        base.close();
        throw ex;
      }
      restoring.put(id, new Restoring(base, specs, inputs, own, System.nanoTime()));
      consumer.pause(inputs);
    }
    ownedChanged();
    // Claimed in the next subscription, also after an eager revocation closed them all.
    assignorContext.ownedTasks = ownedTasks;
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
            producer,
            System::currentTimeMillis,
            metrics);
    ctx.setSerdeConfigs(setup.config().originals());
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
    tasks.put(id, task);
    for (TopicPartition tp : inputs) {
      byPartition.put(tp, task);
    }
    // The event-time state committed with the offsets: watermarks never go backwards.
    task.restoreEventTime(committed);
  }

  /**
   * Advances the restore of the tasks waiting for their state and starts those restored. Waits up
   * to one poll interval for changelog records when no task runs, and only briefly otherwise, so
   * that running tasks keep their latency.
   */
  private void restoreStep() {
    Duration timeout =
        tasks.isEmpty() ? Duration.ofMillis(setup.pollMs()) : RESTORE_POLL_WHILE_PROCESSING;
    Map<String, RestoreResult> done = restoreSession().poll(timeout);
    if (done.isEmpty()) {
      return;
    }
    for (String task : done.keySet()) {
      TaskId id = TaskId.parse(task);
      Restoring r = restoring.remove(id);
      TaskState state = TaskState.wrap(r.base(), id.partition(), r.specs());
      metrics.restoreTimeNanos.add(System.nanoTime() - r.startNanos());
      startTask(id, r.inputs(), r.committed(), state);
      consumer.resume(r.inputs());
    }
    ownedChanged();
    LOG.info(
        "{}: restored tasks {}; running {}, restoring {}",
        getName(),
        done.keySet(),
        tasks.keySet(),
        restoring.keySet());
  }

  private RestoreSession restoreSession() {
    if (restoreSession == null) {
      restoreConsumer = setup.clients().consumer(setup.restoreConsumerConfig(index));
      restoreSession = restorer.session(restoreConsumer, setup.restoreWriters());
    }
    return restoreSession;
  }

  private void ownedChanged() {
    Set<TaskId> owned = new TreeSet<>(tasks.keySet());
    owned.addAll(restoring.keySet());
    ownedTasks = Set.copyOf(owned);
  }

  /** Closes every task, running or restoring. */
  private void closeAll(boolean clean) {
    closeTasks(Set.copyOf(tasks.keySet()), clean);
    for (TaskId id : List.copyOf(restoring.keySet())) {
      Restoring r = restoring.remove(id);
      try {
        restoreSession.remove(id.toString());
      } catch (RuntimeException e) {
        LOG.warn("{}: task {}: keeping its restore progress failed", getName(), id, e);
      } finally {
        r.base().close();
      }
    }
    ownedChanged();
  }

  private void closeTasks(Collection<TaskId> ids, boolean clean) {
    for (TaskId id : List.copyOf(ids)) {
      StreamTask t = tasks.remove(id);
      if (t != null) {
        t.close(clean);
      }
    }
    byPartition.values().removeIf(t -> !tasks.containsKey(t.id()));
  }

  private void closeClients() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    if (restoreSession != null) {
      try {
        restoreSession.close();
      } catch (RuntimeException e) {
        LOG.debug("{}: closing the restore session failed", getName(), e);
      }
    }
    closeConsumer(restoreConsumer, "restore consumer");
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    closeConsumer(consumer, "consumer");
  }

  private void closeConsumer(Consumer<byte[], byte[]> c, String what) {
    if (c == null) {
      return;
    }
    try {
      c.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    } catch (KafkaException e) {
      LOG.debug("{}: {} close failed", getName(), what, e);
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (state == State.PENDING_SHUTDOWN || state == State.DEAD) {
        return;
      }
      setState(State.PARTITIONS_REVOKED);
      if (tasks.isEmpty()) {
        closeAll(true);
        return;
      }
      try {
        commit();
      } catch (KafkaException e) {
        LOG.warn("{}: commit on revocation failed ({}); rolling back", getName(), e.toString());
        if (!producer.abort()
            || e instanceof TimeoutException
            || e instanceof ProducerFencedException) {
          producer.recreate();
        }
        closeAll(false);
        return;
      }
      closeAll(true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      LOG.warn("{}: partitions lost (membership expired); closing tasks dirty", getName());
      setState(State.PARTITIONS_REVOKED);
      if (!producer.abort()) {
        producer.recreate();
      }
      closeAll(false);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      setState(State.PARTITIONS_ASSIGNED);
      List<TaskId> assigned = assignorContext.assignedTasks;
      List<TaskId> missing = new ArrayList<>();
      for (TaskId id : assigned) {
        if (!tasks.containsKey(id) && !restoring.containsKey(id)) {
          missing.add(id);
        }
      }
      createTasks(missing);
      LOG.info(
          "{}: assigned tasks {}; restoring {}", getName(), tasks.keySet(), restoring.keySet());
    }
  }

  /** The group leader relayed a request to shut the whole application down. */
  static final class ApplicationShutdownRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ApplicationShutdownRequested() {
      super("Another instance requested that the whole application shut down");
    }
  }
}
