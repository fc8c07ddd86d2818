package dev.weir.internal.driver;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.config.Settings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.PlanSerdes;
import dev.weir.internal.graph.SubTopology;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.metrics.MetricRegistries;
import dev.weir.internal.runtime.CommitOrder;
import dev.weir.internal.runtime.QueryableTasks;
import dev.weir.internal.runtime.RuntimeMetrics;
import dev.weir.internal.task.ErrorHandling;
import dev.weir.internal.task.RecordCollector;
import dev.weir.internal.task.StreamTask;
import dev.weir.internal.task.TaskBuilder;
import dev.weir.internal.task.TaskContext;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskMetrics;
import dev.weir.internal.task.TaskState;
import dev.weir.internal.task.ThreadMetrics;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.stream.Topology;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Time;

/**
 * Runs a topology on the calling thread without a broker, with the production task and operator
 * classes. Every topic has one partition, so every sub-topology has one task. After each input
 * record the driver delivers everything written to repartition topics (depth first, in send order)
 * and then commits every task in the runtime's {@link CommitOrder}.
 */
public final class DriverCore implements AutoCloseable {
  /** The {@code thread-id} tag of the driver's metrics. */
  public static final String THREAD_ID = "driver";

  /** A record written to an output topic. */
  public record Output(String topic, byte[] key, byte[] value, long timestamp, Headers headers) {}

  private final Plan plan;
  private final Map<String, StreamTask> taskByTopic = new HashMap<>();
  private final List<StreamTask> tasks = new ArrayList<>();
  private final Set<String> repartitionTopics = new HashSet<>();
  private final Map<String, Deque<Output>> outputs = new HashMap<>();
  private final Deque<Output> internal = new ArrayDeque<>();
  private final Map<String, Long> nextOffset = new HashMap<>();
  private final TaskMetrics metrics = new TaskMetrics();
  private final Metrics registry;
  private final String clientId;
  private long processingTime;
  private long changelogRecords;
  private final StateBackend stateBackend = StateBackends.inMemory(TaskState.BATCHES_STORED_WHOLE);
  private final Map<String, TaskState> states = new HashMap<>();
  private final DriverTransaction transaction = new DriverTransaction();
  private final QueryableTasks queries;

  /**
   * Builds the tasks of {@code topology}.
   *
   * @param config the parsed configuration, with the driver's defaults for the application id and
   *     the bootstrap servers already applied
   */
  public DriverCore(Topology topology, Settings config, long startProcessingTime) {
    this.plan = TopologyAccess.plan(topology, config.getString(ConfigKeys.APPLICATION_ID_CONFIG));
    this.processingTime = startProcessingTime;
    // The registry runs on the driver's processing time, so that rates and windows are repeatable.
    this.registry = MetricRegistries.forDriver(new DriverTime());
    this.clientId = plan.applicationId() + "-" + THREAD_ID;
    ThreadMetrics threadMetrics =
        ThreadMetrics.register(registry, clientId, THREAD_ID, metrics, () -> 0L);
    repartitionTopics.addAll(plan.repartitionTopics().values());
    PlanSerdes.configure(plan, config.originals());
    TaskBuilder builder = TaskBuilder.forPlan(plan, ErrorHandling.from(config), sub -> 1);
    RecordCollector collector = new Collector();
    // One thread runs every task here, so one cache budget, as a stream thread has.
    dev.weir.store.StateCache cache =
        dev.weir.store.StateCache.of(config.getLong(ConfigKeys.STATE_CACHE_MAX_BYTES_CONFIG));
    for (SubTopology s : plan.subTopologies()) {
      TaskId id = new TaskId(s.id(), 0);
      TaskContext ctx =
          new TaskContext(plan.applicationId(), id, 1, collector, () -> processingTime, metrics);
      ctx.setSerdeConfigs(config.originals());
      ctx.setMetricScope(threadMetrics.taskScope(id.toString()));
      List<String> stores = plan.stores(s);
      if (!stores.isEmpty()) {
        List<TaskState.StoreSpec> specs = new ArrayList<>();
        stores.forEach(n -> specs.add(new TaskState.StoreSpec(n, plan.changelogTopic(n))));
        TaskState state = TaskState.open(stateBackend, id.toString(), 0, specs, cache);
        stores.forEach(n -> states.put(n, state));
        ctx.setState(state);
      }
      StreamTask task = builder.build(id, ctx);
      task.setTtlCleanupBatch(config.getInt(ConfigKeys.STATE_TTL_CLEANUP_BATCH_CONFIG));
      tasks.add(task);
      for (String topic : plan.inputTopics(s)) {
        taskByTopic.put(topic, task);
      }
      // One partition and one task per sub-topology: a broadcast topic goes to that task too.
      for (String topic : plan.broadcastTopics(s)) {
        taskByTopic.put(topic, task);
      }
    }
    Map<TaskId, TaskState> withState = new HashMap<>();
    for (StreamTask t : tasks) {
      if (t.context().state() != null) {
        withState.put(t.id(), t.context().state());
      }
    }
    this.queries = QueryableTasks.forDriver(plan, withState, () -> processingTime);
    try {
      for (StreamTask t : tasks) {
        t.open();
      }
    } catch (Exception e) {
      throw new IllegalStateException("Opening the topology's operators failed: " + e, e);
    }
  }

  /** Typed read access to a state's committed values, as an application's queries have. */
  public <K, V> ReadOnlyKeyedState<K, V> query(StateQuery<K, V> query) {
    return queries.view(query);
  }

  public Plan plan() {
    return plan;
  }

  /**
   * The driver's metric registry: the metrics of {@code MetricCatalogue} an application reports, on
   * the driver's processing-time clock, with {@code client-id} {@code <application.id>-driver} and
   * {@code thread-id} {@code driver}. Not reported to JMX.
   */
  public Metrics metricRegistry() {
    return registry;
  }

  /** The {@code client-id} tag of the driver's metrics. */
  public String clientId() {
    return clientId;
  }

  public TaskMetrics metrics() {
    return metrics;
  }

  /**
   * The counters an application reports, with the same names and meaning (see {@link
   * RuntimeMetrics}): {@code records-in} counts every record a task reads, a repartition topic's
   * included (watermark markers there too); gauges of restores and state directories are 0;
   * event-time gauges are not reported.
   *
   * @return a new map; not null
   */
  public Map<String, Long> counters() {
    return RuntimeMetrics.snapshot(List.of(metrics), 0, 0, 0, tasks.size(), 0);
  }

  /** Feeds one record into a source topic and runs everything it causes, then commits. */
  public void pipe(String topic, byte[] key, byte[] value, long timestamp, Headers headers) {
    if (!taskByTopic.containsKey(topic) || repartitionTopics.contains(topic)) {
      throw new IllegalArgumentException(
          "Topic '" + topic + "' is not a source of this topology; sources: " + sourceTopics());
    }
    runAsync();
    deliver(new Output(topic, key, value, timestamp, headers));
    settle();
    runAsync();
  }

  /**
   * Hands the async results completed so far to their tasks (emitting them, feeding records that
   * waited for capacity) and runs what they cause, then commits unless requests that no store keeps
   * are still in flight. The driver calls it on every pipe, clock advance and output read, so a
   * test completes a fake service's futures and then reads the results; nothing here waits.
   */
  public void runAsync() {
    for (int rounds = 0; rounds < 10_000; rounds++) {
      boolean any = false;
      for (StreamTask t : tasks) {
        if (!t.hasAsync()) {
          continue;
        }
        try {
          any |= t.runAsync();
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException("Processing failed: " + e, e);
        }
        t.releaseHeldEventTime(processingTime);
      }
      settle();
      if (!any) {
        commit();
        return;
      }
    }
    throw new IllegalStateException("The topology keeps producing async results");
  }

  /** Async requests started and not yet emitted, over every task. */
  public int asyncInFlight() {
    int n = 0;
    for (StreamTask t : tasks) {
      n += t.asyncInFlight();
    }
    return n;
  }

  /**
   * Delivers internal records, then runs watermark generation and due timers, until nothing more
   * happens: the deterministic equivalent of the runtime's periodic work, done after every input.
   */
  private void settle() {
    for (int rounds = 0; rounds < 10_000; rounds++) {
      while (!internal.isEmpty()) {
        deliver(internal.pollFirst());
      }
      for (StreamTask t : tasks) {
        t.advanceEventTime(processingTime, topic -> true);
        t.fireProcessingTimers(processingTime);
      }
      if (internal.isEmpty()) {
        return;
      }
    }
    throw new IllegalStateException("The topology keeps producing internal records");
  }

  private void deliver(Output r) {
    long offset = nextOffset.merge(r.topic(), 1L, Long::sum) - 1;
    ConsumerRecord<byte[], byte[]> cr =
        new ConsumerRecord<>(
            r.topic(),
            0,
            offset,
            r.timestamp(),
            TimestampType.CREATE_TIME,
            r.key() == null ? -1 : r.key().length,
            r.value() == null ? -1 : r.value().length,
            r.key(),
            r.value(),
            r.headers() == null ? new RecordHeaders() : r.headers(),
            Optional.empty());
    try {
      StreamTask task = taskByTopic.get(r.topic());
      StreamTask.Input input = task.input(new TopicPartition(r.topic(), 0));
      if (task.isBlocked()) {
        task.buffer(input, cr); // an async operator is full: the runtime would pause the input
      } else if (metrics.sampleNext()) {
        // Processing time stands still while a record is processed: sampled latencies are 0.
        long start = processingTime * 1_000_000L;
        task.process(input, cr);
        metrics.recordProcessLatency(processingTime * 1_000_000L - start);
      } else {
        task.process(input, cr);
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("Processing failed: " + e, e);
    }
  }

  public List<String> sourceTopics() {
    return taskByTopic.keySet().stream()
        .filter(t -> !repartitionTopics.contains(t))
        .sorted()
        .toList();
  }

  /** Removes and returns the next record written to {@code topic}, or null. */
  public Output poll(String topic) {
    runAsync();
    Deque<Output> q = outputs.get(topic);
    return q == null ? null : q.pollFirst();
  }

  public int queued(String topic) {
    runAsync();
    Deque<Output> q = outputs.get(topic);
    return q == null ? 0 : q.size();
  }

  public long processingTime() {
    return processingTime;
  }

  public void advanceProcessingTime(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("Processing time cannot go backwards: " + millis);
    }
    runAsync(); // results completed before the clock moves arrived before it
    processingTime += millis;
    settle();
    runAsync();
  }

  /** Changelog records written so far. */
  public long changelogRecords() {
    return changelogRecords;
  }

  /** The committed entries of a store, as the task would restore them. */
  public long storeEntries(String store) {
    TaskState s = states.get(store);
    if (s == null) {
      throw new IllegalArgumentException("No store '" + store + "'; stores: " + states.keySet());
    }
    return s.store(store).approximateNumEntries();
  }

  /** The bytes of the committed keys and values of a store (what live-data-size-bytes reports). */
  public long storeBytes(String store) {
    TaskState s = states.get(store);
    if (s == null) {
      throw new IllegalArgumentException("No store '" + store + "'; stores: " + states.keySet());
    }
    long bytes = 0;
    try (dev.weir.store.KeyValueIterator it = s.store(store).all()) {
      while (it.hasNext()) {
        dev.weir.store.KeyValueEntry e = it.next();
        bytes += e.key().length + e.value().length;
      }
    }
    return bytes;
  }

  /** Names of the stores of all stateful operators. */
  public java.util.Set<String> storeNames() {
    return java.util.Set.copyOf(states.keySet());
  }

  /** Runs the commit protocol of every task (the driver also commits after every input). */
  public void commit() {
    for (StreamTask t : tasks) {
      if (t.asyncInFlightToDrain() > 0) {
        // Requests no store keeps: the runtime would wait for them (design record 015); the
        // driver cannot wait, so the commit happens once the test completed them.
        return;
      }
    }
    // Processing time does not move during a commit: commit-time-ns-total stays 0, repeatably.
    CommitOrder.commit(tasks, transaction, metrics, () -> processingTime * 1_000_000L);
    metrics.flushRates();
    for (StreamTask t : tasks) {
      t.publishMetrics(processingTime);
    }
  }

  /** Kafka's clock interface over the driver's processing time, which only the test moves. */
  private final class DriverTime implements Time {
    @Override
    public long milliseconds() {
      return processingTime;
    }

    @Override
    public long nanoseconds() {
      return processingTime * 1_000_000L;
    }

    @Override
    public void sleep(long ms) {
      throw new UnsupportedOperationException("The test driver's clock does not sleep");
    }

    @Override
    public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) {
      throw new UnsupportedOperationException("The test driver's clock does not wait");
    }
  }

  /** Nothing leaves the driver: a commit only marks what was written as committed. */
  private static final class DriverTransaction implements CommitOrder.Transaction {
    private boolean written;

    @Override
    public boolean hasUncommittedWrites() {
      return written;
    }

    @Override
    public boolean needsFencingOffset() {
      return false;
    }

    @Override
    public void commit(Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> o) {
      written = false;
    }
  }

  @Override
  public void close() {
    for (StreamTask t : tasks) {
      t.close(true);
    }
    stateBackend.close();
    registry.close();
  }

  private final class Collector implements RecordCollector {
    @Override
    public void send(
        String topic,
        Integer partition,
        byte[] key,
        byte[] value,
        long timestamp,
        Headers headers) {
      transaction.written = true;
      Output o = new Output(topic, key, value, timestamp, headers);
      if (repartitionTopics.contains(topic)) {
        internal.addLast(o);
      } else {
        outputs.computeIfAbsent(topic, t -> new ArrayDeque<>()).addLast(o);
      }
    }

    @Override
    public void sendChangelog(
        String topic,
        int partition,
        byte[] key,
        byte[] value,
        long timestamp,
        LongConsumer onOffset) {
      transaction.written = true;
      onOffset.accept(nextOffset.merge(topic, 1L, Long::sum) - 1);
      changelogRecords++;
    }

    @Override
    public int partitionCount(String topic) {
      return 1;
    }
  }
}
