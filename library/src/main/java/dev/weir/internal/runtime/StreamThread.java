package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.task.StreamTask;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskMetrics;
import dev.weir.internal.task.ThreadMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread: one consumer, one producer, a set of tasks. Its loop polls, hands every record
 * to its task, runs the periodic work (event time, processing-time timers) and commits every {@code
 * commit.interval.ms}. Its collaborators do the rest (design record 005): the {@link TaskManager}
 * owns the tasks, the {@link RestoreCoordinator} their state, the {@link TransactionCoordinator}
 * the producer and the commit, and every failure of the commit path goes through one {@link
 * CommitFailurePolicy}: the producer is aborted or replaced and the tasks roll back to the last
 * commit (design record 001), or the thread dies and the application's thread failure policy
 * decides.
 */
final class StreamThread extends Thread {
  private static final Logger LOG = LoggerFactory.getLogger(StreamThread.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** How long the leader's assignor waits for the changelogs' end offsets. */
  private static final Duration ASSIGNOR_LOOKUP_TIMEOUT = Duration.ofSeconds(10);

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
  private final Listener listener;
  private final RuntimeClock clock;
  private final AssignorContext assignorContext;
  private final TaskMetrics metrics = new TaskMetrics();
  private final ThreadClients clients;
  private final RestoreCoordinator restore;
  private final StandbyTasks standbys;
  private final TaskManager tasks;
  private final TransactionCoordinator transactions;
  private final RepartitionPurger purger;
  private final EventTimeReporter eventTime;
  private final StatusPublisher status;
  private final ThreadMetrics threadMetrics;
  private final OffsetResetPolicy offsetReset;
  private volatile State state = State.CREATED;
  private volatile boolean shutdownRequested;
  private volatile boolean halted;
  private Consumer<byte[], byte[]> consumer;
  private long lastCommitMs;

  /** How long after the last commit a due commit may wait for a rebalance to end. */
  private final long commitDeferLimitMs;

  private long lastWatermarkMs;

  StreamThread(
      int index,
      RuntimeSetup setup,
      Listener listener,
      AtomicBoolean shutdownApp,
      Metrics registry,
      String clientId) {
    super(setup.applicationId() + "-StreamThread-" + index);
    this.index = index;
    this.setup = setup;
    this.listener = listener;
    this.clock = setup.clock();
    this.assignorContext =
        new AssignorContext(
            setup.plan(),
            setup.instanceId(),
            index,
            shutdownApp,
            !ConfigKeys.REBALANCE_EAGER.equals(
                setup.config().getString(ConfigKeys.REBALANCE_PROTOCOL_CONFIG)));
    assignorContext.ownedTasks = AssignorContext.localTasks(setup, index);
    this.commitDeferLimitMs = Math.max(setup.commitIntervalMs(), setup.transactionTimeoutMs() / 2);
    this.clients = new ThreadClients(setup, index);
    this.restore = new RestoreCoordinator(getName(), setup, clients, metrics, clock);
    this.threadMetrics =
        registry == null
            ? null
            : ThreadMetrics.register(registry, clientId, getName(), metrics, restore::remaining);
    this.tasks = new TaskManager(getName(), setup, metrics, clock, restore, assignorContext);
    this.standbys = new StandbyTasks(getName(), setup, clients, metrics, clock, setup.replicas());
    assignorContext.placement = setup.placement();
    assignorContext.probingIntervalMs = setup.probingRebalanceIntervalMs();
    assignorContext.clockMs = clock::millis;
    assignorContext.endOffsets =
        tps -> ChangelogEndOffsets.readCommitted(clients.admin(), tps, ASSIGNOR_LOOKUP_TIMEOUT);
    assignorContext.offsetSums = this::offsetSums;
    assignorContext.standbysHeld = standbys::ids;
    if (threadMetrics != null) {
      tasks.setMetricScopes(id -> threadMetrics.taskScope(id.toString()));
    }
    this.transactions = TransactionCoordinator.create(getName(), setup, index, metrics);
    this.purger =
        new RepartitionPurger(
            getName(),
            Set.copyOf(setup.plan().repartitionTopics().values()),
            setup.repartitionPurgeIntervalMs(),
            clients::admin,
            clock.millis());
    this.eventTime = new EventTimeReporter(setup.watermarkStallWarnMs());
    this.status = new StatusPublisher(setup.plan());
    this.offsetReset =
        new OffsetResetPolicy(
            getName(),
            setup
                .config()
                .getString(dev.weir.internal.config.ConfigKeys.OFFSET_RESET_POLICY_CONFIG),
            metrics);
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

  /** Where the thread publishes its tasks for queries, and the instance's server; before start. */
  void setQueries(QueryableTasks queries, String applicationServer) {
    tasks.setQueries(queries);
    assignorContext.applicationServer = applicationServer;
    assignorContext.hostsListener = queries::hosts;
  }

  /** The thread's first producer is prepared by the instance; before start. */
  void setPreparedProducers(PreparedProducers prepared) {
    transactions.usePrepared(prepared, index);
  }

  /**
   * Joins peer liveness (design record 021): the thread's subscription carries the instance's
   * listener, and the leader's list of peers goes to {@code liveness}.
   */
  void setLiveness(PeerLiveness liveness) {
    assignorContext.livenessEndpoint = liveness.endpoint();
    assignorContext.peersListener = liveness::peers;
    assignorContext.joinListener = liveness::joining;
  }

  /**
   * A peer instance is joining the group, leaving {@code generation}: a rebalance has begun. This
   * thread rejoins at its next step instead of at its next heartbeat, unless it is joining already
   * or has moved past that generation (the notice came late).
   *
   * @param generation the generation the peer leaves
   * @param peer the peer's listener, for the log
   */
  void peerJoining(int generation, String peer) {
    if (PeerLiveness.rejoinsFor(
        generation, assignorContext.rebalancing, assignorContext.generation)) {
      requestRejoin("peer " + peer + " is rejoining the group, leaving generation " + generation);
    }
  }

  /** Why the thread should rejoin the group at its next step, or null; set from any thread. */
  private volatile String rejoinReason;

  /**
   * Asks the thread to rejoin the group at its next step (a peer was removed from the group: the
   * rebalance has begun, and the thread need not wait for its next heartbeat to learn it).
   *
   * @param reason for the log
   */
  void requestRejoin(String reason) {
    rejoinReason = reason;
  }

  /** The tasks of this thread, running or restoring; safe to call from any thread. */
  Set<TaskId> taskIds() {
    return tasks.ownedTasks();
  }

  /** State directory cleaner hook: tasks assigned to this thread or claimed for its next one. */
  Set<TaskId> claimedTasks() {
    Set<TaskId> claimed = new HashSet<>(assignorContext.assignedTasks);
    claimed.addAll(assignorContext.ownedTasks);
    claimed.addAll(assignorContext.assignedStandbys);
    return claimed;
  }

  /** The latest event-time metrics of this thread's tasks. */
  Map<String, Long> eventTimeMetrics() {
    return eventTime.metrics();
  }

  /** This thread for the status server, as last published; any thread. */
  RuntimeStatus.ThreadStatus status() {
    return new RuntimeStatus.ThreadStatus(
        getName(),
        state.name(),
        isAlive(),
        metrics.commits.sum(),
        metrics.commitTimeNanos.sum(),
        status.tasks(restore.progress()));
  }

  /** Changelog records still to restore (at most) by this thread; 0 when not restoring. */
  long restoreRemaining() {
    return restore.remaining();
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

  /**
   * Asks the thread to stop as if its process were killed: no commit, no abort; returns at once.
   * The thread finishes the record in hand, processes no further record and commits nothing more,
   * even when the commit interval has passed meanwhile. See {@link ApplicationRuntime#halt}.
   */
  void halt() {
    halted = true;
    shutdown();
  }

  /** Asks the thread to commit, close its tasks and stop; returns at once. */
  void shutdown() {
    shutdownRequested = true;
    clients.wakeup();
  }

  @Override
  public void run() {
    Throwable failure = null;
    try {
      setState(State.STARTING);
      consumer = clients.createConsumer(assignorContext);
      transactions.start(consumer);
      tasks.bind(consumer, transactions.collector());
      List<String> topics = new ArrayList<>();
      setup.plan().subTopologies().forEach(s -> topics.addAll(setup.plan().inputTopics(s)));
      // The topic set-up may still run (design record 031): the group assignment reads the input
      // and repartition topics' partition counts and the tasks need their changelogs, so the
      // thread joins only once they are checked. If the set-up failed, start() reports it and
      // stops this thread, which has read and written nothing.
      if (setup.awaitTopics()) {
        consumer.subscribe(topics, new Rebalance());
        lastCommitMs = clock.millis();
        while (!shutdownRequested) {
          runOnce();
        }
      }
    } catch (WakeupException | InterruptException e) {
      if (!shutdownRequested) {
        failure = e;
      }
    } catch (Throwable t) {
      failure = t;
    }
    if (halted) {
      // A killed process neither aborts nor reports: even a failure after the halt (of the record
      // in hand, say) must not abort the open transaction or start a replacement thread.
      if (failure != null) {
        LOG.warn("{} failed after it was halted", getName(), failure);
      }
      stopHalted();
      return;
    }
    if (failure == null) {
      failure = closeCleanly();
    }
    stop(failure);
  }

  /**
   * Ends a halted thread: tasks closed dirty (uncommitted state dropped), the producer closed
   * without waiting so that its open transaction is neither committed nor aborted, no offset
   * committed. No failure is reported.
   */
  private void stopHalted() {
    LOG.warn("{} halted: stopping without commit or abort, as a killed process", getName());
    try {
      tasks.closeAll(false, "halted");
    } catch (Throwable t) {
      LOG.warn("{}: closing tasks of a halted thread failed", getName(), t);
    }
    // A standby's copy is flushed up to offsets it read committed: a consistent copy to keep,
    // and closing it frees its stores and the instance's hold for a thread started in its place.
    standbys.closeAll();
    restore.close();
    clients.close(getName());
    transactions.close(Duration.ZERO);
    clients.closeConsumer(getName());
    status.clear();
    setState(State.PENDING_SHUTDOWN);
    setState(State.DEAD);
    if (threadMetrics != null) {
      threadMetrics.close();
    }
  }

  private void runOnce() throws InterruptedException {
    // Standbys first, bounded, so that they never starve processing nor processing them.
    boolean standbyBusy = standbys.step();
    if (standbys.takeWarmupCaughtUp()) {
      consumer.enforceRebalance("a warm-up replica caught up");
    }
    String rejoin = rejoinReason;
    if (rejoin != null) {
      rejoinReason = null;
      consumer.enforceRebalance(rejoin);
    }
    long probeAt = assignorContext.probingRebalanceAtMs;
    if (probeAt > 0 && clock.millis() >= probeAt) {
      assignorContext.probingRebalanceAtMs = 0;
      LOG.info("{}: probing rebalance: warm-up replicas may have caught up", getName());
      consumer.enforceRebalance("probing rebalance for warm-up replicas");
    }
    if (tasks.isRestoring()) {
      int restoring = restore.ids().size();
      tasks.restoreStep();
      if (restore.ids().size() != restoring) {
        publishStatus(clock.millis()); // restored tasks show as running at once
      }
      if (state == State.PARTITIONS_ASSIGNED && !tasks.isRestoring()) {
        // The last restore ended and its task runs: so does the thread, now rather than after
        // the poll below, which waits up to poll.ms for input.
        setState(State.RUNNING);
      }
    }
    // With async requests in flight the thread waits on their results instead (below): a poll
    // does not wake when a result arrives (design record 010).
    boolean asyncBusy = tasks.asyncBusy();
    ConsumerRecords<byte[], byte[]> records;
    try {
      // While tasks restore, the restore step above does the waiting.
      records =
          consumer.poll(
              tasks.isRestoring() || asyncBusy || standbyBusy
                  ? Duration.ZERO
                  : Duration.ofMillis(setup.pollMs()));
    } catch (NoOffsetForPartitionException e) {
      tasks.resetWithoutCommittedOffset(e.partitions());
      return;
    } catch (OffsetOutOfRangeException e) {
      offsetReset.reset(consumer, e.offsetOutOfRangePartitions());
      return;
    }
    if (assignorContext.errorCode == TaskAssignor.ERROR_SHUTDOWN_APPLICATION) {
      throw new ApplicationShutdownRequested();
    }
    if (assignorContext.errorCode == TaskAssignor.ERROR_TOPOLOGY_MISMATCH) {
      throw new TopologyMismatch(
          setup.applicationId(),
          assignorContext.fingerprint,
          assignorContext.leaderFingerprint,
          TopologyFingerprint.asyncUpgradeNote(assignorContext.plan)
              + TopologyFingerprint.windowUpgradeNote(assignorContext.plan));
    }
    if (state == State.PARTITIONS_ASSIGNED && !tasks.isRestoring()) {
      setState(State.RUNNING);
    }
    boolean asyncProgress;
    try {
      boolean processed = process(records);
      metrics.flushRates();
      if (!processed || halted) {
        return; // halted: no timers, no commit; the loop ends at its next check
      }
      tasks.pollBroadcast();
      long now = clock.millis();
      asyncProgress = tasks.runAsync(now);
      boolean tick = now - lastWatermarkMs >= setup.watermarkIntervalMs();
      if (tick) {
        lastWatermarkMs = now;
        tasks.advanceEventTime(now);
        eventTime.publish(now, tasks.running());
        publishStatus(now);
      }
      tasks.fireProcessingTimers(now);
      if (tick || !records.isEmpty()) {
        tasks.align(); // event time moved on, or idleness and lags changed at the tick
      }
    } catch (Exception e) {
      rollBack(e instanceof RuntimeException ? e : processingFailed(e));
      return;
    }
    long now = clock.millis();
    if (!halted && now - lastCommitMs >= setup.commitIntervalMs() && !deferCommit(now)) {
      try {
        // Event time brought up to date just before the commit (besides the regular ticks): the
        // windows and timers due now fire inside this transaction, so state they created since the
        // last commit and delete now never reaches the changelog, instead of costing a put in this
        // commit and a tombstone in the next.
        tasks.advanceEventTime(now);
      } catch (Exception e) {
        rollBack(e instanceof RuntimeException ? e : processingFailed(e));
        return;
      }
      commitOrRollBack();
    }
    purger.maybePurge(now);
    if (asyncBusy && records.isEmpty() && !asyncProgress && !tasks.isRestoring()) {
      long untilCommit = Math.max(1, setup.commitIntervalMs() - (clock.millis() - lastCommitMs));
      tasks.awaitAsync(Math.min(setup.pollMs(), untilCommit));
    }
  }

  /**
   * What this member reports for the leader's lags: the instance's local copies, this thread's
   * standbys, and its running tasks as caught up.
   */
  private Map<TaskId, Long> offsetSums() {
    Map<TaskId, Long> sums = setup.replicas().offsetSums();
    sums.putAll(standbys.offsetSums());
    for (StreamTask t : tasks.running()) {
      sums.put(t.id(), TaskLags.RUNNING_ACTIVE);
    }
    return sums;
  }

  /** Publishes the tasks for the status server; on this thread. Never throws. */
  private void publishStatus(long now) {
    try {
      status.publish(now, tasks.running(), restore.ids(), consumer);
    } catch (RuntimeException e) {
      // The status page is an observer: a failure to describe the tasks must not stop them.
      LOG.warn("{}: publishing the status of its tasks failed", getName(), e);
    }
  }

  /**
   * Processes a poll's records; false when the rest of the poll must be dropped: a forced commit
   * failed and the tasks rolled back, or the thread was halted.
   */
  private boolean process(ConsumerRecords<byte[], byte[]> records) throws Exception {
    for (TopicPartition tp : records.partitions()) {
      StreamTask task = tasks.task(tp);
      if (task == null) {
        continue; // partition revoked during this poll's rebalance
      }
      StreamTask.Input input = task.input(tp);
      for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
        if (halted) {
          // Between records, as a killed process stops; a poll can hold thousands more.
          return false;
        }
        if (task.isBlocked()) {
          // An async operator is full: keep the rest for later; runAsync pauses the partitions.
          task.buffer(input, r);
        } else if (metrics.sampleNext()) {
          long start = clock.nanos();
          task.process(input, r);
          metrics.recordProcessLatency(clock.nanos() - start);
        } else {
          task.process(input, r);
        }
      }
      if (task.context().takeMarkerArrived()) {
        // Pass event time on at once instead of at the next watermark interval: saves up to
        // one interval of latency per repartition hop.
        tasks.advanceEventTime(task, clock.millis());
      }
      if (halted) {
        return false; // no forced commit either
      }
      if (tasks.uncommittedStateBytes() > setup.maxUncommittedStateBytes()
          && !deferCommit(clock.millis())) {
        metrics.forcedCommits.increment();
        if (!commitOrRollBack()) {
          // The rest of this poll lies beyond the offsets the consumer was rewound to.
          return false;
        }
      }
    }
    return true;
  }

  private WeirException processingFailed(Exception e) {
    return new WeirException(getName() + ": processing failed: " + e, e);
  }

  /**
   * Whether a due commit waits: while this member rejoins the group (its subscription is sent, its
   * assignment has not arrived) the coordinator may already have moved to the next generation, and
   * a commit with the old one would fail and roll every task back. Cooperative members keep
   * processing meanwhile, so the commit waits for the assignment, but never longer than {@link
   * #commitDeferLimitMs} after the last commit: the open transaction must end well before {@code
   * transaction.timeout.ms}, and a commit that fails only rolls back.
   */
  private boolean deferCommit(long now) {
    return assignorContext.rebalancing && now - lastCommitMs < commitDeferLimitMs;
  }

  /** Commits; on failure rolls back to the last commit. False when it rolled back. */
  private boolean commitOrRollBack() {
    try {
      commit();
      return true;
    } catch (RuntimeException e) {
      rollBack(e);
      return false;
    }
  }

  private void commit() {
    lastCommitMs = clock.millis();
    Map<TopicPartition, OffsetAndMetadata> offsets = tasks.commit(transactions);
    transactions.committed();
    metrics.publishCache(restore.cache());
    if (offsets != null) {
      purger.committed(offsets);
    }
  }

  /** The failure policy, then every task back to the last commit (or the thread dies). */
  private void rollBack(Exception cause) {
    if (cause instanceof WakeupException wakeup && shutdownRequested) {
      throw wakeup; // not a failure: the shutdown's final commit follows
    }
    transactions.recover(cause);
    tasks.rollBack();
    lastCommitMs = clock.millis();
  }

  /** After a requested shutdown: the final commit, then every task closed. Returns a failure. */
  private Throwable closeCleanly() {
    try {
      try {
        try {
          commit();
        } catch (WakeupException e) {
          // The shutdown's own wakeup, still pending when the loop ended outside poll().
          commit();
        }
      } catch (RuntimeException e) {
        LOG.warn("{}: final commit failed; uncommitted work is rolled back", getName(), e);
        transactions.recover(e);
        tasks.closeAll(false, "shutdown, final commit failed");
        return null;
      }
      tasks.closeAll(true, "shutdown");
      standbys.closeAll();
      return null;
    } catch (Throwable t) {
      return t;
    }
  }

  /**
   * Ends the thread: after a failure closes the tasks dirty and drops the open transaction, then
   * closes every client, moves to DEAD and reports the failure. Nothing here may skip the rest.
   */
  private void stop(Throwable failure) {
    if (failure != null) {
      LOG.error("{} failed", getName(), failure);
      try {
        tasks.closeAll(false, "thread failed");
      } catch (Throwable t) {
        failure.addSuppressed(t);
      }
      transactions.abandon();
    }
    standbys.closeAll();
    restore.close();
    clients.close(getName());
    transactions.close(CLOSE_TIMEOUT);
    clients.closeConsumer(getName());
    status.clear();
    setState(State.PENDING_SHUTDOWN);
    setState(State.DEAD);
    if (threadMetrics != null) {
      threadMetrics.close(); // a replacement thread registers the same names again
    }
    if (failure != null) {
      if (setup.awaitTopics()) {
        listener.onFailure(this, failure);
      } else {
        // Failed before the topic set-up, which failed too: start() reports the set-up's
        // failure, the first cause, and no policy applies to a thread of an instance that never
        // started.
        LOG.warn("{} failed while the topic set-up failed too", getName());
      }
    }
  }

  /**
   * The thread's side of a rebalance. Under cooperative rebalancing (KIP-429) the consumer revokes
   * only the partitions that move, after the new generation's assignment arrived and before it
   * takes effect; under eager it revokes every partition before rejoining. Either way a revoked
   * running task's work must be committed before its partitions go, so that its next owner, whose
   * committed-offset fetch waits for pending transactional offsets (KIP-447), resumes exactly after
   * it. With one transaction per thread (exactly_once_v2) the commit covers every running task: the
   * tasks that stay commit their work too and go on processing, their next transaction begun at
   * their next write. If that commit fails, its transaction is aborted: the revoked tasks close
   * dirty and the ones that stay roll back to the last commit, as after any failed commit.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (state == State.PENDING_SHUTDOWN || state == State.DEAD) {
        return;
      }
      if (halted) {
        tasks.closeAll(false, "halted"); // no commit on revocation: uncommitted state is dropped
        return;
      }
      Set<TaskId> revoked = tasks.tasksOf(partitions);
      if (revoked.isEmpty()) {
        return;
      }
      setState(State.PARTITIONS_REVOKED);
      LOG.info("{}: tasks {} revoked", getName(), revoked);
      if (!tasks.runsAny(revoked)) {
        tasks.closeRevoked(revoked, true); // only restoring ones: nothing of theirs to commit
        return;
      }
      try {
        // Under cooperative rebalancing the consumer already carries the new generation here, so
        // this commit is not deferred like the periodic one.
        commit();
      } catch (RuntimeException e) {
        LOG.warn("{}: commit on revocation failed ({}); rolling back", getName(), e.toString());
        transactions.recover(e);
        tasks.closeRevoked(revoked, false);
        tasks.rollBack(Set.copyOf(partitions));
        lastCommitMs = clock.millis();
        return;
      }
      tasks.closeRevoked(revoked, true);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      LOG.warn("{}: partitions lost (membership expired); closing tasks dirty", getName());
      setState(State.PARTITIONS_REVOKED);
      transactions.discardLost();
      tasks.closeAll(false, "partitions lost");
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // Under cooperative rebalancing `partitions` are only the new ones; the assignor's list is
      // every task of this member, those it keeps included.
      assignorContext.rebalancing = false;
      setState(State.PARTITIONS_ASSIGNED);
      // Standbys first: one that became active here closes before the active opens its state;
      // new standbys open after the active tasks are created (see StandbyTasks.update).
      standbys.update(assignorContext.assignedStandbys, assignorContext.assignedWarmups);
      tasks.onAssigned(assignorContext.assignedTasks);
      standbys.openNew();
      publishStatus(clock.millis()); // the new tasks show, restoring ones too, before any restore
    }
  }

  /** The group leader runs a different topology and gave this member no tasks. */
  static final class TopologyMismatch extends WeirException {
    private static final long serialVersionUID = 1L;

    /**
     * Builds the report for this member.
     *
     * @param applicationId the application's id
     * @param mine this member's fingerprint
     * @param leaders the leader's fingerprint
     * @param note {@link TopologyFingerprint#asyncUpgradeNote} and {@link
     *     TopologyFingerprint#windowUpgradeNote}: why an upgrade of Weir itself can change the
     *     topology, or ""
     */
    TopologyMismatch(String applicationId, String mine, String leaders, String note) {
      super(
          "This instance of application '"
              + applicationId
              + "' runs topology "
              + mine
              + " but the group's leader runs topology "
              + leaders
              + ", so the leader gave it no tasks. All instances of an application must run the"
              + " same topology (sub-topologies, exchanges, state stores). To change the"
              + " topology, stop every instance, then start the new version; or deploy it under"
              + " a new application.id. See docs/operations.md, 'Upgrading a running"
              + " application'."
              + note);
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
