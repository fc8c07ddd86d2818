package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.PlanSerdes;
import dev.weir.internal.metrics.InstanceMetrics;
import dev.weir.internal.metrics.MetricRegistries;
import dev.weir.internal.task.ErrorHandling;
import dev.weir.internal.task.StaleStateGuard;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskMetrics;
import dev.weir.store.StateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.metrics.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one application instance: sets up topics, starts stream threads, derives the instance state
 * from the threads' states, and applies the thread failure policy.
 */
public final class ApplicationRuntime implements StreamThread.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ApplicationRuntime.class);

  /** How long closing waits for the restore writers; they only apply batches of records. */
  private static final long WRITERS_STOP_SECONDS = 10;

  private final Settings config;
  private final Plan plan;
  private final KafkaClients clients;
  private final BiConsumer<RuntimeState, RuntimeState> stateListener;
  private final Function<Throwable, FailureResponse> failureHandler;
  private final List<StreamThread> threads = new CopyOnWriteArrayList<>();
  private final List<TaskMetrics> retiredMetrics = new CopyOnWriteArrayList<>();
  private final AtomicBoolean shutdownApplication = new AtomicBoolean();
  private volatile RuntimeState state = RuntimeState.CREATED;
  private InstanceDirectory directory;
  private StateBackend stateBackend;
  private ExecutorService restoreWriters;
  private RuntimeSetup setup;
  private volatile StaleStateGuard staleStateGuard;
  private volatile StateDirectoryCleaner stateCleaner;

  /** Peer failure detection (design record 021); null without {@code liveness.listener}. */
  private volatile PeerLiveness liveness;

  /** The threads' first producers, started with the topic set-up; null before start. */
  private volatile PreparedProducers preparedProducers;

  private final RuntimeClock clock;
  private volatile Metrics registry;
  private volatile String clientId;
  private volatile dev.weir.store.RestoreListener restoreListener =
      dev.weir.store.RestoreListener.noOp();
  private final QueryableTasks queries;

  public ApplicationRuntime(
      Settings config,
      Plan plan,
      KafkaClients clients,
      BiConsumer<RuntimeState, RuntimeState> stateListener,
      Function<Throwable, FailureResponse> failureHandler) {
    this(config, plan, clients, stateListener, failureHandler, RuntimeClock.SYSTEM);
  }

  /** For tests: with the clock every part of the runtime reads. */
  ApplicationRuntime(
      Settings config,
      Plan plan,
      KafkaClients clients,
      BiConsumer<RuntimeState, RuntimeState> stateListener,
      Function<Throwable, FailureResponse> failureHandler,
      RuntimeClock clock) {
    this.clock = clock;
    this.config = config;
    this.plan = plan;
    this.clients = clients;
    this.stateListener = stateListener;
    this.failureHandler = failureHandler;
    this.queries =
        new QueryableTasks(
            plan,
            sub -> setup.taskCount(sub),
            clock::millis,
            () -> state,
            config.getString(ConfigKeys.APPLICATION_SERVER_CONFIG));
  }

  /** The registry of interactive queries; any thread. */
  public QueryableTasks queries() {
    return queries;
  }

  /**
   * Checks every setting the runtime reads (client configurations, internal-topic settings, state
   * settings) without starting anything: called when an application is constructed.
   *
   * @param config the parsed settings
   * @throws org.apache.kafka.common.config.ConfigException naming the key at fault and the fix
   */
  public static void validate(Settings config) {
    ClientConfigs.validate(config);
    StateBackendFactory.validate(config);
    ProductionErrors.handler(config);
  }

  /**
   * Deletes the local state of this instance ({@code <state.dir>/<application.id>}, all but its
   * instance id) while no instance uses the directory.
   *
   * @param config the parsed settings
   * @throws WeirException when another instance holds the directory, or a deletion fails
   */
  public static void cleanUp(Settings config) {
    String applicationId = config.getString(ConfigKeys.APPLICATION_ID_CONFIG);
    try (InstanceDirectory dir =
        new InstanceDirectory(
            Path.of(config.getString(ConfigKeys.STATE_DIR_CONFIG)), applicationId)) {
      long deleted = dir.deleteLocalState();
      LOG.info("cleanUp: deleted {} entries of local state in {}", deleted, dir.path());
    }
  }

  /**
   * Sets the listener told about every changelog restore of every thread. Call before {@link
   * #start()}.
   *
   * @param listener the listener; not null
   */
  public void setRestoreListener(dev.weir.store.RestoreListener listener) {
    this.restoreListener = listener;
  }

  public RuntimeState state() {
    return state;
  }

  public String instanceId() {
    return directory == null ? null : directory.instanceId();
  }

  /**
   * Returns the instance's metric registry: every metric of {@code MetricCatalogue} and the user
   * metrics, tagged {@code client-id} = {@link #clientId()}. Reported to JMX and the configured
   * {@code metric.reporters}; closed (and its MBeans unregistered) when the instance stops.
   *
   * @return the registry, or null before {@link #start()}
   */
  public Metrics metricRegistry() {
    return registry;
  }

  /**
   * Returns the {@code client-id} tag of the instance's metrics: {@code <application.id>-<instance
   * id>}.
   *
   * @return the id, or null before {@link #start()}
   */
  public String clientId() {
    return clientId;
  }

  /** The configured SASL login, plain or of the consumer, to name the principal in errors. */
  private Object jaasConfig() {
    Map<String, Object> originals = config.originals();
    Object jaas = originals.get("sasl.jaas.config");
    if (jaas == null) {
      jaas = originals.get("consumer.sasl.jaas.config");
    }
    return jaas;
  }

  private synchronized boolean transition(RuntimeState next) {
    RuntimeState prev = state;
    if (prev == next) {
      return true;
    }
    if (!prev.canTransitionTo(next)) {
      return false;
    }
    state = next;
    LOG.info("Application {} state {} -> {}", plan.applicationId(), prev, next);
    stateListener.accept(next, prev);
    notifyAll();
    return true;
  }

  /**
   * Moves to PENDING_ERROR and returns true only for the call that made the move: when several
   * threads fail together, one of them stops the instance and releases its resources, once.
   */
  synchronized boolean enterPendingError() {
    return state != RuntimeState.PENDING_ERROR && transition(RuntimeState.PENDING_ERROR);
  }

  /**
   * Returns once start() has returned (it holds this monitor throughout). A thread may fail while
   * start() still runs (design record 031): its failure policy applies to the instance start()
   * leaves.
   */
  private synchronized void awaitStartReturned() {}

  public synchronized void start() {
    if (state != RuntimeState.CREATED) {
      throw new IllegalStateException("start() can be called once; the application is " + state);
    }
    directory =
        new InstanceDirectory(
            Path.of(config.getString(ConfigKeys.STATE_DIR_CONFIG)), plan.applicationId());
    try {
      clientId = plan.applicationId() + "-" + directory.instanceId();
      ErrorHandling errors = ErrorHandling.from(config);
      RuntimeSetup probe =
          new RuntimeSetup(
              config,
              plan,
              () -> new TopicSetUp.Result(Map.of(), null),
              errors,
              clients,
              directory.instanceId(),
              null,
              Set.of(),
              null,
              clock,
              restoreListener,
              new InstanceReplicas());
      // The topic set-up waits for the cluster; the metric registry (JMX), the serdes'
      // configuration and opening the local state (the RocksDB library, the stores an earlier run
      // left) need no topic, and the set-up needs none of them, so it runs on a thread of its own
      // meanwhile. Threads start only after both.
      TopicSetUp topicSetUp = TopicSetUp.start(config, plan, clients, probe, errors);
      // The threads' producers start meanwhile too (under exactly-once their initialization is a
      // round of requests to the transaction coordinator).
      List<Map<String, Object>> producerConfigs = new ArrayList<>();
      for (int i = 0; i < config.getInt(ConfigKeys.NUM_STREAM_THREADS_CONFIG); i++) {
        producerConfigs.add(probe.producerConfig(i));
      }
      preparedProducers =
          PreparedProducers.start(
              clients,
              producerConfigs,
              config.exactlyOnce(),
              plan.applicationId() + "-producer-setup");
      Set<TaskId> local;
      InstanceReplicas replicas;
      try {
        registry = MetricRegistries.forApplication(config.originals(), clientId, kafkaTime(clock));
        InstanceMetrics.register(
            registry,
            clientId,
            () -> state.name(),
            () -> threads.stream().filter(Thread::isAlive).count(),
            () -> threads.stream().mapToInt(t -> t.taskIds().size()).sum(),
            () -> staleStateGuard == null ? 0L : staleStateGuard.wiped(),
            () -> stateCleaner == null ? 0L : stateCleaner.cleaned(),
            this::removedPeers);
        // Topic serdes get the application's configuration (a registry URL, say) before any task.
        PlanSerdes.configure(plan, config.originals());
        stateBackend = StateBackendFactory.create(config, directory.path(), plan);
        local = localStateTasks();
        replicas = InstanceReplicas.scan(stateBackend, local);
      } catch (RuntimeException | Error e) {
        // The set-up's admin client closes when it ends; its failure, if any, is secondary.
        try {
          topicSetUp.await();
        } catch (RuntimeException | Error again) {
          e.addSuppressed(again);
        }
        throw e;
      }
      // The stream threads start before the set-up ends (design record 031): each creates its
      // group consumer and takes its producer meanwhile, and waits for the set-up before it joins
      // the group, so no task exists, no record is read and nothing is written until the topics
      // are checked. The instance stays CREATED until then (the threads' state changes are not
      // reported), and a failed set-up stops them below as any failed start.
      setup =
          new RuntimeSetup(
              config,
              plan,
              topicSetUp::await,
              errors,
              clients,
              directory.instanceId(),
              stateBackend,
              local,
              restoreWriters = RestoreWriters.create(config, plan.applicationId()),
              clock,
              restoreListener,
              replicas);
      startLiveness();
      for (int i = 0; i < config.getInt(ConfigKeys.NUM_STREAM_THREADS_CONFIG); i++) {
        startThread(i);
      }
      TopicSetUp.Result topics = topicSetUp.await();
      staleStateGuard = topics.staleStateGuard();
      LOG.info(
          "Starting application {} instance {} ({} threads, {}), tasks per sub-topology {}\n{}",
          plan.applicationId(),
          directory.instanceId(),
          config.getInt(ConfigKeys.NUM_STREAM_THREADS_CONFIG),
          config.getString(ConfigKeys.PROCESSING_GUARANTEE_CONFIG),
          topics.taskCounts(),
          plan.describe());
      transition(RuntimeState.REBALANCING);
      // A thread's state change while the instance was CREATED was not followed.
      followThreads(null, null);
      startStateCleaner(); // state directory cleaner hook
    } catch (RuntimeException e) {
      // Through the checked transitions, so that the state listener sees the failure; threads
      // already started are stopped before their resources go.
      transition(RuntimeState.PENDING_ERROR);
      try {
        stopThreads(Duration.ofSeconds(30));
        releaseResources();
      } catch (RuntimeException again) {
        e.addSuppressed(again);
      }
      transition(RuntimeState.ERROR);
      throw AccessDenied.explain(e, plan, jaasConfig());
    }
  }

  /**
   * Opens the liveness listener when {@code liveness.listener} is set (design record 021), before
   * the threads, whose subscriptions carry its address.
   */
  private void startLiveness() {
    String listener = config.getString(ConfigKeys.LIVENESS_LISTENER_CONFIG);
    if (listener == null) {
      return;
    }
    String group = plan.applicationId();
    Map<String, Object> adminConfig = setup.adminConfig();
    try {
      liveness =
          new PeerLiveness(
              group,
              listener,
              config.getLong(ConfigKeys.LIVENESS_TIMEOUT_MS_CONFIG),
              ids -> removeMembers(adminConfig, group, ids),
              () -> threads.forEach(t -> t.requestRejoin("a peer instance was removed")),
              (generation, peer) -> threads.forEach(t -> t.peerJoining(generation, peer)),
              clock::millis);
    } catch (java.io.IOException e) {
      throw new org.apache.kafka.common.config.ConfigException(
          ConfigKeys.LIVENESS_LISTENER_CONFIG,
          listener,
          "cannot listen there (" + e.getMessage() + "): give a free port of this host");
    }
  }

  /** Removes static members from the group; members already gone are not an error. */
  private void removeMembers(Map<String, Object> adminConfig, String group, List<String> ids)
      throws Exception {
    List<MemberToRemove> members = new ArrayList<>();
    ids.forEach(id -> members.add(new MemberToRemove(id)));
    try (Admin admin = clients.admin(adminConfig)) {
      admin
          .removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(members))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownMemberIdException)) {
        throw e;
      }
      LOG.info("Members {} had already left the group", ids);
    }
  }

  /** Peers this instance removed from the group (liveness), 0 without a listener. */
  long removedPeers() {
    PeerLiveness l = liveness;
    return l == null ? 0 : l.removedPeers();
  }

  /** Deletes unused task directories, for a backend that keeps state on disk. */
  private void startStateCleaner() {
    if (stateBackend == null
        || !ConfigKeys.STATE_BACKEND_ROCKSDB.equals(
            config.getString(ConfigKeys.STATE_BACKEND_CONFIG))) {
      return;
    }
    StateDirectoryCleaner cleaner =
        new StateDirectoryCleaner(
            stateBackend,
            directory.path(),
            config.getLong(ConfigKeys.STATE_CLEANUP_DELAY_MS_CONFIG),
            () -> {
              Set<TaskId> inUse = new java.util.HashSet<>();
              threads.forEach(t -> inUse.addAll(t.claimedTasks()));
              return inUse;
            },
            clock::millis);
    cleaner.start(plan.applicationId() + "-state-cleaner");
    stateCleaner = cleaner;
  }

  private void startThread(int index) {
    StreamThread t = new StreamThread(index, setup, this, shutdownApplication, registry, clientId);
    t.setQueries(queries, config.getString(ConfigKeys.APPLICATION_SERVER_CONFIG));
    if (liveness != null) {
      t.setLiveness(liveness);
    }
    PreparedProducers prepared = preparedProducers;
    if (prepared != null) {
      t.setPreparedProducers(prepared); // a replacement finds its index taken and creates its own
    }
    t.setDaemon(false);
    threads.add(t);
    t.start();
  }

  @Override
  public void onStateChange(StreamThread thread, StreamThread.State from, StreamThread.State to) {
    followThreads(thread, to);
  }

  /**
   * RUNNING when every live thread runs, else REBALANCING; nothing before the start ends or once
   * stopping.
   *
   * @param thread the thread whose state changes, or null
   * @param to its new state, which its {@code threadState()} may not show yet
   */
  private void followThreads(StreamThread thread, StreamThread.State to) {
    RuntimeState s = state;
    if (s != RuntimeState.REBALANCING && s != RuntimeState.RUNNING) {
      return;
    }
    boolean allRunning = true;
    for (StreamThread t : threads) {
      StreamThread.State ts = t == thread ? to : t.threadState();
      if (ts != StreamThread.State.RUNNING && ts != StreamThread.State.DEAD) {
        allRunning = false;
      }
    }
    transition(allRunning ? RuntimeState.RUNNING : RuntimeState.REBALANCING);
  }

  @Override
  public void onFailure(StreamThread thread, Throwable error) {
    awaitStartReturned();
    threads.remove(thread);
    retiredMetrics.add(thread.metrics());
    FailureResponse response;
    error = AccessDenied.explain(error, plan, jaasConfig());
    if (error instanceof StreamThread.ApplicationShutdownRequested) {
      response = FailureResponse.SHUTDOWN_INSTANCE;
    } else {
      response = failureHandler.apply(error);
    }
    LOG.error("{} died; failure policy {}", thread.getName(), response, error);
    switch (response) {
      case REPLACE_THREAD -> {
        if (state == RuntimeState.RUNNING || state == RuntimeState.REBALANCING) {
          startThread(thread.index());
        }
      }
      case SHUTDOWN_APPLICATION -> {
        shutdownApplication.set(true);
        if (threads.isEmpty()) {
          // No live member of ours can relay the request; start one that only does that.
          startThread(thread.index());
        }
      }
      default -> {
        if (enterPendingError()) {
          Thread stopper =
              new Thread(
                  () -> {
                    stopThreads(Duration.ofSeconds(30));
                    releaseResources();
                    transition(RuntimeState.ERROR);
                  },
                  plan.applicationId() + "-error-shutdown");
          stopper.setDaemon(true);
          stopper.start();
        }
      }
    }
  }

  public boolean close(Duration timeout) {
    synchronized (this) {
      if (state == RuntimeState.CREATED) {
        transition(RuntimeState.NOT_RUNNING);
        return true;
      }
      if (state.isTerminal()) {
        return true;
      }
      if (state != RuntimeState.PENDING_SHUTDOWN && state != RuntimeState.PENDING_ERROR) {
        transition(RuntimeState.PENDING_SHUTDOWN);
      }
    }
    PeerLiveness l = liveness;
    if (l != null) {
      // Before the threads stop: the watchers learn that this instance will be back.
      l.leaving();
    }
    boolean stopped = stopThreads(timeout);
    synchronized (this) {
      if (state == RuntimeState.PENDING_SHUTDOWN) {
        releaseResources();
        transition(RuntimeState.NOT_RUNNING);
      }
    }
    return stopped;
  }

  /**
   * For tests: stops the instance as a killed process would stop, in this JVM. The threads stop
   * between records without committing, aborting or flushing: each thread's open transaction stays
   * open on the broker (its producer is closed without waiting, so not even an abort is sent) until
   * the next producer with its transactional id fences it; offsets consumed since the last commit
   * are not committed; tasks close dirty, so local state holds only what was committed, as after
   * {@code kill -9}. The consumers leave the group (a killed process's would only time out), and
   * the state directory's lock is released so that a new instance in this JVM can use it.
   *
   * @param timeout how long to wait for the threads
   * @return true when every thread stopped in time
   */
  public boolean halt(Duration timeout) {
    synchronized (this) {
      if (state == RuntimeState.CREATED) {
        transition(RuntimeState.NOT_RUNNING);
        return true;
      }
      if (state.isTerminal()) {
        return true;
      }
      if (state != RuntimeState.PENDING_SHUTDOWN && state != RuntimeState.PENDING_ERROR) {
        transition(RuntimeState.PENDING_SHUTDOWN);
      }
    }
    PeerLiveness l = liveness;
    if (l != null) {
      l.close(); // as a killed process's sockets close: no notice
    }
    boolean stopped = stopThreads(timeout, StreamThread::halt);
    synchronized (this) {
      if (state == RuntimeState.PENDING_SHUTDOWN) {
        releaseResources();
        transition(RuntimeState.NOT_RUNNING);
      }
    }
    return stopped;
  }

  private boolean stopThreads(Duration timeout) {
    return stopThreads(timeout, StreamThread::shutdown);
  }

  private boolean stopThreads(
      Duration timeout, java.util.function.Consumer<StreamThread> howToStop) {
    long deadline = clock.nanos() + timeout.toNanos();
    List<StreamThread> all = new ArrayList<>(threads);
    all.forEach(howToStop);
    for (StreamThread t : all) {
      long left = Math.max(1, (deadline - clock.nanos()) / 1_000_000);
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WeirException("Interrupted while stopping stream threads", e);
      }
      if (t.isAlive()) {
        LOG.warn("{} did not stop within {}", t.getName(), timeout);
        return false;
      }
    }
    return true;
  }

  /** Waits until the state is one of {@code targets} or the timeout passes. */
  public synchronized boolean awaitState(Duration timeout, RuntimeState... targets) {
    long deadline = clock.nanos() + timeout.toNanos();
    while (true) {
      for (RuntimeState t : targets) {
        if (state == t) {
          return true;
        }
      }
      long left = (deadline - clock.nanos()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** The plan this instance runs. */
  public Plan plan() {
    return plan;
  }

  /** The instance, its threads and their tasks, for the status server; any thread. */
  public RuntimeStatus status() {
    List<RuntimeStatus.ThreadStatus> out = new ArrayList<>();
    threads.forEach(t -> out.add(t.status()));
    return new RuntimeStatus(state, instanceId(), List.copyOf(out));
  }

  /**
   * Counters summed over the instance's threads (replaced ones included), under the flat names of
   * {@link RuntimeMetrics}; the registry ({@link #metricRegistry()}) has them per thread and task.
   */
  public Map<String, Long> metricsSnapshot() {
    List<TaskMetrics> all = new ArrayList<>(retiredMetrics);
    threads.forEach(t -> all.add(t.metrics()));
    StaleStateGuard guard = staleStateGuard;
    StateDirectoryCleaner cleaner = stateCleaner;
    Map<String, Long> m =
        RuntimeMetrics.snapshot(
            all,
            threads.stream().mapToLong(StreamThread::restoreRemaining).sum(),
            guard == null ? 0L : guard.wiped(),
            cleaner == null ? 0L : cleaner.cleaned(),
            threads.stream().mapToInt(t -> t.taskIds().size()).sum(),
            removedPeers());
    threads.forEach(t -> m.putAll(t.eventTimeMetrics()));
    return m;
  }

  /** The runtime's clock as Kafka's, for the metric registry's windows and rates. */
  static org.apache.kafka.common.utils.Time kafkaTime(RuntimeClock clock) {
    return new org.apache.kafka.common.utils.Time() {
      @Override
      public long milliseconds() {
        return clock.millis();
      }

      @Override
      public long nanoseconds() {
        return clock.nanos();
      }

      @Override
      public void sleep(long ms) {
        org.apache.kafka.common.utils.Time.SYSTEM.sleep(ms);
      }

      @Override
      public void waitObject(
          Object obj, java.util.function.Supplier<Boolean> condition, long deadlineMs)
          throws InterruptedException {
        org.apache.kafka.common.utils.Time.SYSTEM.waitObject(obj, condition, deadlineMs);
      }
    };
  }

  /** Closes the state backend (after every thread stopped) and unlocks the state directory. */
  private void releaseResources() {
    PeerLiveness l = liveness;
    if (l != null) {
      l.close();
    }
    PreparedProducers prepared = preparedProducers;
    if (prepared != null) {
      prepared.closeUnused(); // the threads have stopped: what is left, nobody will take
    }
    StateDirectoryCleaner cleaner = stateCleaner;
    if (cleaner != null) {
      cleaner.close(); // before the backend: a pass in progress still uses it
    }
    if (restoreWriters != null) {
      // Awaited, so that close() and halt() return with none of the instance's threads left; the
      // stream threads have stopped, so no writer has work that still matters.
      restoreWriters.shutdownNow();
      try {
        if (!restoreWriters.awaitTermination(WRITERS_STOP_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn("Restore writer threads did not stop within {} s", WRITERS_STOP_SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      restoreWriters = null;
    }
    if (stateBackend != null) {
      try {
        stateBackend.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing the state backend failed", e);
      }
      stateBackend = null;
    }
    directory.close();
    // Last: unregisters the MBeans; the registry's last values stay readable through metrics().
    if (registry != null) {
      registry.close();
    }
  }

  /**
   * Tasks whose RocksDB state survives in this instance's directory from an earlier run. Threads
   * claim them in their first subscription so that, balance allowing, a restarted instance gets
   * back the tasks it only needs to catch up on instead of tasks it would restore from scratch.
   */
  private Set<TaskId> localStateTasks() {
    if (stateBackend == null) {
      return Set.of();
    }
    Set<TaskId> out = new java.util.TreeSet<>();
    try {
      for (String task : stateBackend.storedTasks()) {
        if (task.matches("\\d+_\\d+")) {
          out.add(TaskId.parse(task));
        }
      }
    } catch (dev.weir.store.StateStoreException e) {
      LOG.warn("Listing local task state in {} failed; assignment ignores it", directory.path(), e);
    }
    return out;
  }
}
