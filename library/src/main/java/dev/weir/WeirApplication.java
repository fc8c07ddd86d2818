package dev.weir;

import dev.weir.internal.config.Settings;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.runtime.ApplicationRuntime;
import dev.weir.internal.runtime.FailureResponse;
import dev.weir.internal.runtime.KafkaClients;
import dev.weir.internal.runtime.QueryableTasks;
import dev.weir.internal.runtime.RuntimeState;
import dev.weir.internal.status.StatusServer;
import dev.weir.query.KeyQueryMetadata;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.query.StateQueryException;
import dev.weir.stream.Topology;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One instance of a Weir application: runs a {@link Topology} in this JVM as a member of the
 * application's consumer group. Start the same application on more JVMs (same {@code
 * application.id}, own {@code state.dir}) to scale out; tasks move between instances as they come
 * and go.
 *
 * <pre>{@code
 * try (WeirApplication app = new WeirApplication(topology, props)) {
 *   app.start();
 *   ...
 * } // close() commits and stops the threads
 * }</pre>
 *
 * <p>Thread-safe. The lifecycle is {@link ApplicationState}. By default a thread that dies of an
 * unhandled error stops the instance ({@code thread.failure.policy}); {@link
 * #setUncaughtExceptionHandler} decides per error instead.
 */
public final class WeirApplication implements AutoCloseable {
  /** Told about every state change. */
  @FunctionalInterface
  public interface StateListener {
    /**
     * Called on the thread that caused the change; must return quickly.
     *
     * @param newState the state entered
     * @param oldState the state left
     */
    void onChange(ApplicationState newState, ApplicationState oldState);
  }

  private final Topology topology;
  private final WeirConfig config;
  // Built and checked once, in the constructor; the runtime reads only this.
  private final Settings settings;
  private final KafkaClientSupplier clients;
  private volatile StateListener stateListener = (n, o) -> {};
  private volatile Function<Throwable, ThreadFailureResponse> failureHandler;
  private volatile dev.weir.store.RestoreListener restoreListener =
      dev.weir.store.RestoreListener.noOp();
  private ApplicationRuntime runtime;
  private volatile StatusServer statusServer;

  /**
   * Creates an instance with plain Kafka clients.
   *
   * @param topology what to run
   * @param config the configuration; see {@link WeirConfig}
   * @throws org.apache.kafka.common.config.ConfigException naming a bad setting
   */
  public WeirApplication(Topology topology, Properties config) {
    this(topology, config, KafkaClientSupplier.defaults());
  }

  /**
   * Creates an instance whose Kafka clients come from {@code clients}.
   *
   * @param topology what to run
   * @param config the configuration; see {@link WeirConfig}
   * @param clients creates every Kafka client of the instance
   * @throws org.apache.kafka.common.config.ConfigException naming a bad setting and its fix: every
   *     setting, the clients' included, is checked here, before any thread runs
   */
  public WeirApplication(Topology topology, Map<?, ?> config, KafkaClientSupplier clients) {
    this.topology = Objects.requireNonNull(topology, "topology");
    this.config =
        new WeirConfig(
            withSupplierDefaults(
                Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(clients, "clients")));
    this.settings = new Settings(this.config, WeirConfig.configDef().names());
    ApplicationRuntime.validate(settings);
    this.clients = Objects.requireNonNull(clients, "clients");
    ThreadFailureResponse policy =
        ThreadFailureResponse.valueOf(
            this.config
                .getString(WeirConfig.THREAD_FAILURE_POLICY_CONFIG)
                .toUpperCase(java.util.Locale.ROOT));
    this.failureHandler = e -> policy;
  }

  /**
   * {@code config} with the defaults that depend on the client supplier: raw restore fetches
   * (design record 030) connect to the brokers without the supplier's clients, so with any supplier
   * but {@link KafkaClientSupplier#defaults()} they are off unless the configuration turns them on.
   */
  static Map<?, ?> withSupplierDefaults(Map<?, ?> config, KafkaClientSupplier clients) {
    if (clients == KafkaClientSupplier.defaults()
        || config.containsKey(WeirConfig.STATE_RESTORE_RAW_FETCH_CONFIG)) {
      return config;
    }
    Map<Object, Object> out = new HashMap<>(config);
    out.put(WeirConfig.STATE_RESTORE_RAW_FETCH_CONFIG, false);
    return out;
  }

  /**
   * Sets the listener for state changes. Call before {@link #start()}.
   *
   * @param listener the listener
   */
  public void setStateListener(StateListener listener) {
    this.stateListener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Decides, per error, what happens when a stream thread dies. Call before {@link #start()}.
   *
   * @param handler maps the error to a response
   */
  public void setUncaughtExceptionHandler(Function<Throwable, ThreadFailureResponse> handler) {
    this.failureHandler = Objects.requireNonNull(handler, "handler");
  }

  /**
   * Sets the listener told about every state restore of this instance: for each store of each task
   * that restores, {@code onStart} (changelog partition, start and end offset), {@code onBatch}
   * after each applied batch, {@code onEnd} with the records restored. Call before {@link
   * #start()}. Called on stream threads, possibly several at once: must be thread-safe and return
   * quickly; an exception it throws is logged and the restore goes on.
   *
   * @param listener the listener; not null
   */
  public void setGlobalStateRestoreListener(dev.weir.store.RestoreListener listener) {
    this.restoreListener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Starts the status server when {@code status.http.port} is set, checks the topics (sources and
   * sinks must exist; internal topics are created), then starts the stream threads and returns.
   * Processing starts once the group has assigned tasks.
   *
   * @throws IllegalStateException when called twice
   * @throws dev.weir.errors.WeirException naming the topic or directory at fault when the setup
   *     check fails, or naming {@code status.http.port} when the status server cannot listen (no
   *     stream thread has started then)
   */
  public synchronized void start() {
    if (runtime != null) {
      throw new IllegalStateException("start() was already called");
    }
    ApplicationRuntime r =
        new ApplicationRuntime(
            settings,
            TopologyAccess.plan(topology, config.getString(WeirConfig.APPLICATION_ID_CONFIG)),
            adapt(clients),
            (n, o) -> stateListener.onChange(publicState(n), publicState(o)),
            e -> runtimeResponse(failureHandler.apply(e)));
    int port = config.getInt(WeirConfig.STATUS_HTTP_PORT_CONFIG);
    if (port >= 0) {
      // Before the threads: a port in use fails start() with nothing running yet.
      statusServer =
          StatusServer.start(
              r.plan(),
              config.getString(WeirConfig.STATUS_HTTP_BIND_ADDRESS_CONFIG),
              port,
              StatusServer.of(
                  r::status,
                  () -> {
                    // Null until the runtime starts: the registry is named after the instance.
                    Metrics registry = r.metricRegistry();
                    return registry == null ? Map.of() : registry.metrics();
                  }));
    }
    runtime = r;
    r.setRestoreListener(restoreListener);
    try {
      r.start();
    } catch (RuntimeException e) {
      stopStatusServer();
      throw e;
    }
  }

  /**
   * Returns the address of the status server, {@code host:port}, with the port it chose when {@code
   * status.http.port} is 0.
   *
   * @return the address, or null when the server is off or the instance was not started or is
   *     closed
   */
  public String statusAddress() {
    StatusServer s = statusServer;
    return s == null ? null : s.address();
  }

  /**
   * Deletes this instance's local state: the directory {@code <state.dir>/<application.id>}
   * (keeping only the instance id, so that transactional ids stay stable). The next start restores
   * every task from its changelog. Use it after an application reset, or when local state is
   * suspected to be corrupt. Runs before {@link #start()} or after {@link #close()} (states
   * CREATED, NOT_RUNNING, ERROR).
   *
   * @throws IllegalStateException when the instance is running (close it first)
   * @throws dev.weir.errors.WeirException when another instance in this or another JVM uses the
   *     same state directory, or a file cannot be deleted
   */
  public synchronized void cleanUp() {
    ApplicationState s = state();
    if (s != ApplicationState.CREATED
        && s != ApplicationState.NOT_RUNNING
        && s != ApplicationState.ERROR) {
      throw new IllegalStateException(
          "cleanUp() deletes local state, so it runs only before start() or after close(); this"
              + " instance is "
              + s
              + ". Call close() first, then cleanUp().");
    }
    ApplicationRuntime.cleanUp(settings);
  }

  /**
   * Returns the current state.
   *
   * @return the state
   */
  public ApplicationState state() {
    ApplicationRuntime r = runtime;
    return r == null ? ApplicationState.CREATED : publicState(r.state());
  }

  /**
   * Waits until the instance reaches one of {@code states}.
   *
   * @param timeout how long to wait at most
   * @param states the states to wait for
   * @return true when reached, false on timeout
   */
  public boolean awaitState(Duration timeout, ApplicationState... states) {
    ApplicationRuntime r = runtime;
    if (r == null) {
      throw new IllegalStateException("start() was not called");
    }
    RuntimeState[] targets = new RuntimeState[states.length];
    for (int i = 0; i < states.length; i++) {
      targets[i] = states[i] == null ? null : RuntimeState.valueOf(states[i].name());
    }
    return r.awaitState(timeout, targets);
  }

  /**
   * Returns the id this instance uses in transactional ids and client ids; stable across restarts
   * with the same {@code state.dir}.
   *
   * @return the instance id, or null before {@link #start()}
   */
  public String instanceId() {
    ApplicationRuntime r = runtime;
    return r == null ? null : r.instanceId();
  }

  /**
   * Reads a keyed state of this instance's tasks: point lookups and scans, from any thread, while
   * the application runs. Reads see each task's state as of its last commit (read committed: never
   * the writes of the open transaction) and fail with a {@link StateQueryException} whose {@link
   * StateQueryException#reason() reason} says what to do when this instance cannot answer: the
   * key's task runs elsewhere ({@code NOT_HOSTED}: find it with {@link #queryMetadataForKey}), is
   * restoring ({@code RESTORING}) or the group is rebalancing ({@code REBALANCING}). Only active
   * tasks are read; {@link StateQuery#allowStandby()} is reserved for standby replicas, which this
   * version does not run yet. See {@link ReadOnlyKeyedState} and {@code docs/state.md}.
   *
   * <pre>{@code
   * ReadOnlyKeyedState<String, Long> counts =
   *     app.query(StateQuery.value("counter", COUNT, Serdes.String()));
   * Long n = counts.get("alice");
   * }</pre>
   *
   * @param query which state; not null
   * @param <K> key type
   * @param <V> what a key's state reads as
   * @return a view whose every call reads the state then; thread-safe
   * @throws StateQueryException with reason {@code UNKNOWN_STATE} when no stateful operator has the
   *     query's uid
   */
  public <K, V> ReadOnlyKeyedState<K, V> query(StateQuery<K, V> query) {
    return queries().view(query);
  }

  /**
   * Tells which instance runs the task that holds {@code key} of operator {@code uid}, and which
   * keep standby replicas of it, by their {@code application.server}, as of the group's last
   * assignment. Any instance can answer for any key; a server redirects a request to {@code
   * activeHost()} when that is not itself.
   *
   * @param uid the uid of a stateful operator; not null
   * @param key the key; not null
   * @param keySerializer the key's serializer, writing the same bytes as the keyBy's serde
   * @param <K> key type
   * @return the hosts and the key's partition; the active host is empty during a rebalance or when
   *     its instance set no {@code application.server}
   * @throws StateQueryException with reason {@code UNKNOWN_STATE} for an unknown uid, {@code
   *     NOT_RUNNING} before {@link #start()} or after {@link #close()}
   */
  public <K> KeyQueryMetadata queryMetadataForKey(
      String uid, K key, Serializer<? super K> keySerializer) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(keySerializer, "keySerializer");
    return queries().metadataForKey(Objects.requireNonNull(uid, "uid"), key, keySerializer);
  }

  private QueryableTasks queries() {
    ApplicationRuntime r = runtime;
    if (r == null) {
      throw new StateQueryException(
          StateQueryException.Reason.NOT_RUNNING,
          null,
          null,
          -1,
          "Queries need a running application: call start() first");
    }
    return r.queries();
  }

  /**
   * Returns the instance's metrics, as Kafka Streams' {@code KafkaStreams#metrics()} does: every
   * metric in the instance's registry (Weir's own, listed in {@code docs/operations.md}, and those
   * user functions register through {@code getRuntimeContext().getMetricGroup()}), tagged with
   * {@code client-id} and, by level, {@code thread-id}, {@code task-id}, {@code operator}. The same
   * registry is reported to JMX under {@code dev.weir:type=<group>,...} and to the {@code
   * metric.reporters}. The Kafka clients' own metrics are not included (they report to JMX under
   * {@code kafka.consumer} and {@code kafka.producer} as usual).
   *
   * <p>Thread-safe; values are read when {@link Metric#metricValue()} is called. After {@link
   * #close()} the map keeps the last values but nothing updates them.
   *
   * @return an unmodifiable view of metric name to metric; empty before {@link #start()}
   */
  public Map<MetricName, ? extends Metric> metrics() {
    ApplicationRuntime r = runtime;
    Metrics registry = r == null ? null : r.metricRegistry();
    return registry == null ? Map.of() : Collections.unmodifiableMap(registry.metrics());
  }

  /**
   * Returns a flat snapshot of the instance's counters, summed over its stream threads (replaced
   * ones included) since the instance started: {@code records-in}, {@code records-out}, {@code
   * commits}, {@code rollbacks}, error counts, and the event-time gauges. Before metrics moved to a
   * registry this was {@code metrics()}; it stays for tests and scripts that want one number per
   * name. See {@code docs/operations.md}.
   *
   * @return counter name to value, a new map; empty before {@link #start()}
   */
  public Map<String, Long> metricsSnapshot() {
    ApplicationRuntime r = runtime;
    return r == null ? Map.of() : r.metricsSnapshot();
  }

  /**
   * Commits and stops the stream threads, waiting at most {@code timeout}.
   *
   * @param timeout how long to wait
   * @return true when every thread stopped in time
   */
  public boolean close(Duration timeout) {
    ApplicationRuntime r;
    synchronized (this) {
      r = runtime;
    }
    try {
      return r == null || r.close(timeout);
    } finally {
      // After the threads stopped: until then /ready answers 503, which takes the instance out of
      // a load balancer while it shuts down.
      stopStatusServer();
    }
  }

  /**
   * <b>For tests</b>: stops this instance as if its process were killed ({@code kill -9}), so that
   * a test in one JVM can show what survives a crash. Each stream thread finishes the record in
   * hand and stops without processing the rest of its poll and without committing, even when a
   * commit is due: outputs and state changes since the last commit are neither committed nor
   * aborted (under exactly-once the open transaction stays open on the broker until the next
   * instance with the same state directory fences it), input offsets since the last commit are not
   * committed, and local state keeps only what was committed. Unlike a killed process, the
   * consumers leave the group at once (no wait for {@code session.timeout.ms}) and the state
   * directory is unlocked, so a new {@code WeirApplication} on the same {@code state.dir} can start
   * in this JVM and recover. Never use it to stop a production instance: use {@link #close()}.
   *
   * <p>Threading: any thread; blocks until the threads stopped or {@code timeout} passed. When it
   * returns true, the stream threads, their Kafka clients' threads and the restore writers have
   * ended. The instance ends in {@link ApplicationState#NOT_RUNNING} and cannot be restarted.
   *
   * @param timeout how long to wait for the threads
   * @return true when every thread stopped in time
   */
  public boolean simulateCrash(Duration timeout) {
    ApplicationRuntime r;
    synchronized (this) {
      r = runtime;
    }
    try {
      return r == null || r.halt(timeout);
    } finally {
      stopStatusServer();
    }
  }

  private synchronized void stopStatusServer() {
    StatusServer s = statusServer;
    statusServer = null;
    if (s != null) {
      s.close();
    }
  }

  /** Commits and stops the stream threads, waiting up to a minute. */
  @Override
  public void close() {
    close(Duration.ofMinutes(1));
  }

  // The runtime has its own lifecycle enum, failure responses and client factory, so that nothing
  // in dev.weir.internal depends on this package; the facade maps them here (same names).
  private static ApplicationState publicState(RuntimeState s) {
    return ApplicationState.valueOf(s.name());
  }

  // A handler that returns null fails in the runtime's switch, after the failure is logged, as
  // before the runtime had its own enum.
  private static FailureResponse runtimeResponse(ThreadFailureResponse r) {
    return r == null ? null : FailureResponse.valueOf(r.name());
  }

  private static KafkaClients adapt(KafkaClientSupplier supplier) {
    return new KafkaClients() {
      @Override
      public Producer<byte[], byte[]> producer(Map<String, Object> config) {
        return supplier.producer(config);
      }

      @Override
      public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return supplier.consumer(config);
      }

      @Override
      public Admin admin(Map<String, Object> config) {
        return supplier.admin(config);
      }
    };
  }
}
