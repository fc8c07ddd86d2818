package dev.weir.internal.runtime;

import dev.weir.WeirConfig;
import dev.weir.internal.config.Settings;
import dev.weir.internal.config.TestSettings;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.task.ErrorHandling;
import dev.weir.internal.task.TaskId;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;

/**
 * One stream thread on Kafka's mock clients, run on the test's own thread: a topology "in" -> upper
 * case -> "out" with one task per partition of "in" (one by default), a scripted consumer (one step
 * per poll; the thread is asked to shut down when the script ends), producers whose commits and
 * aborts fail on demand, one committed-offset store shared by both (the broker's view), and a
 * {@link ManualClock}.
 */
final class ThreadHarness implements StreamThread.Listener {
  static final TopicPartition IN = new TopicPartition("in", 0);
  static final long COMMIT_INTERVAL_MS = 1_000;

  final ManualClock clock = new ManualClock(1_000_000);
  final Map<TopicPartition, OffsetAndMetadata> brokerOffsets = new HashMap<>();
  final List<FakeProducer> producers = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  final List<Throwable> failures = new ArrayList<>();
  final Deque<Runnable> script = new ArrayDeque<>();

  /**
   * At most this many records of a partition per poll; the rest stay behind as the partition's lag
   * (as a broker's fetch sizes leave a backlog).
   */
  int maxPollRecordsPerPartition = Integer.MAX_VALUE;

  final List<List<String>> logs = new ArrayList<>();
  final List<String> log;
  final StreamThread thread;

  /** The repartition topics of the chain (a keyBy's), with one partition per task. */
  final List<String> repartitionTopics;

  FakeConsumer consumer;

  ThreadHarness(boolean exactlyOnce, int maxCommitFailures) {
    this(exactlyOnce, maxCommitFailures, in -> in.map(String::toUpperCase));
  }

  /** The harness with another operator chain between "in" and "out". */
  ThreadHarness(
      boolean exactlyOnce,
      int maxCommitFailures,
      java.util.function.Function<
              dev.weir.stream.DataStream<String>, dev.weir.stream.DataStream<String>>
          chain) {
    this(exactlyOnce, maxCommitFailures, 1, chain);
  }

  /** The harness with {@code partitions} partitions of "in", so as many tasks. */
  ThreadHarness(
      boolean exactlyOnce,
      int maxCommitFailures,
      int partitions,
      java.util.function.Function<
              dev.weir.stream.DataStream<String>, dev.weir.stream.DataStream<String>>
          chain) {
    this(
        exactlyOnce,
        maxCommitFailures,
        partitions,
        dev.weir.eventtime.WatermarkStrategy.noWatermarks(),
        chain);
  }

  /** The harness with a watermark strategy on "in" and an operator chain to "out". */
  ThreadHarness(
      boolean exactlyOnce,
      int maxCommitFailures,
      dev.weir.eventtime.WatermarkStrategy<String> watermarks,
      java.util.function.Function<
              dev.weir.stream.DataStream<String>, dev.weir.stream.DataStream<String>>
          chain) {
    this(exactlyOnce, maxCommitFailures, 1, watermarks, chain);
  }

  /** The harness with {@code partitions} tasks, a watermark strategy and an operator chain. */
  ThreadHarness(
      boolean exactlyOnce,
      int maxCommitFailures,
      int partitions,
      dev.weir.eventtime.WatermarkStrategy<String> watermarks,
      java.util.function.Function<
              dev.weir.stream.DataStream<String>, dev.weir.stream.DataStream<String>>
          chain) {
    this(exactlyOnce, maxCommitFailures, partitions, watermarks, chain, Map.of());
  }

  /** The full harness: {@code settings} are added to (or replace) the harness's own. */
  ThreadHarness(
      boolean exactlyOnce,
      int maxCommitFailures,
      int partitions,
      dev.weir.eventtime.WatermarkStrategy<String> watermarks,
      java.util.function.Function<
              dev.weir.stream.DataStream<String>, dev.weir.stream.DataStream<String>>
          chain,
      Map<String, Object> settings) {
    for (int p = 0; p < partitions; p++) {
      logs.add(new ArrayList<>());
    }
    log = logs.get(0);
    StreamBuilder b = new StreamBuilder();
    chain
        .apply(b.fromSource(KafkaSource.topic("in", Serdes.String()), watermarks, "in"))
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    Plan plan = TopologyAccess.plan(b.build(), "app");
    repartitionTopics = List.copyOf(plan.repartitionTopics().values());
    Map<Object, Object> props = new HashMap<>();
    props.put(WeirConfig.APPLICATION_ID_CONFIG, "app");
    props.put(WeirConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(
        WeirConfig.PROCESSING_GUARANTEE_CONFIG,
        exactlyOnce ? WeirConfig.EXACTLY_ONCE : WeirConfig.AT_LEAST_ONCE);
    props.put(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    props.put(WeirConfig.MAX_COMMIT_FAILURES_CONFIG, maxCommitFailures);
    props.putAll(settings);
    Settings config = TestSettings.of(props);
    RuntimeSetup setup =
        new RuntimeSetup(
            config,
            plan,
            // A chain with a keyBy has a sub-topology 1 behind a repartition topic: as many
            // tasks. The harness runs only sub-topology 0; what it writes is in sent().
            () -> new TopicSetUp.Result(Map.of(0, partitions, 1, partitions), null),
            ErrorHandling.from(config),
            new Clients(),
            "instance",
            null,
            Set.of(),
            null,
            clock,
            dev.weir.store.RestoreListener.noOp(),
            new InstanceReplicas());
    thread = new StreamThread(0, setup, this, new AtomicBoolean(), null, null);
  }

  /** A script step: the group assigns task 0_0 and the consumer resumes at the committed offset. */
  void assign() {
    consumer.assignedTasks(List.of(new TaskId(0, 0)));
    consumer.rebalance(List.of(IN));
    OffsetAndMetadata committed = brokerOffsets.get(IN);
    consumer.seek(IN, committed == null ? 0 : committed.offset());
  }

  /** Partition {@code p} of "in". */
  static TopicPartition in(int p) {
    return new TopicPartition("in", p);
  }

  /**
   * A script step: a cooperative rebalance that leaves the thread the tasks of {@code partitions}.
   * As Kafka's consumer does, it first revokes the partitions that go (still assigned during the
   * callback), then hands over the assignor's task list, then reports the added partitions, which
   * resume at their committed offsets.
   */
  void rebalanceTo(int... partitions) {
    List<TopicPartition> next = new ArrayList<>();
    List<TaskId> tasks = new ArrayList<>();
    for (int p : partitions) {
      next.add(in(p));
      tasks.add(new TaskId(0, p));
    }
    consumer.cooperative(next, tasks);
  }

  /** Appends records to partition {@code p} of "in". */
  void append(int p, String... values) {
    logs.get(p).addAll(List.of(values));
  }

  /** A script step: the group takes every partition away. */
  void revokeAll() {
    consumer.assignedTasks(List.of());
    consumer.rebalance(List.of());
  }

  /** Appends records to the input partition. */
  void append(String... values) {
    log.addAll(List.of(values));
  }

  /** Runs the thread to its end. */
  void run() {
    thread.run();
  }

  /** Records in committed transactions (exactly-once) or acknowledged (at-least-once), in order. */
  List<String> output() {
    List<String> out = new ArrayList<>();
    for (FakeProducer p : producers) {
      p.history().forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
    }
    return out;
  }

  /**
   * The values of data records sent to the chain's repartition topic (watermark markers, which have
   * no key, left out), committed or not, in order: what sub-topology 0 wrote.
   */
  List<String> sent() {
    List<String> out = new ArrayList<>();
    for (FakeProducer p : producers) {
      for (ProducerRecord<byte[], byte[]> r : p.history()) {
        if (repartitionTopics.contains(r.topic()) && r.key() != null) {
          out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  @Override
  public void onStateChange(StreamThread t, StreamThread.State from, StreamThread.State to) {
    events.add(to.name());
  }

  @Override
  public void onFailure(StreamThread t, Throwable error) {
    failures.add(error);
  }

  private final class Clients implements KafkaClients {
    @Override
    public Producer<byte[], byte[]> producer(Map<String, Object> config) {
      FakeProducer p = new FakeProducer();
      producers.add(p);
      return p;
    }

    @Override
    public Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
      consumer = new FakeConsumer((AssignorContext) config.get(AssignorContext.CONFIG_KEY));
      return consumer;
    }

    @Override
    public Admin admin(Map<String, Object> config) {
      throw new UnsupportedOperationException("a stateless topology needs no admin client");
    }
  }

  /** A producer whose commits and aborts fail as scripted, committing offsets to the "broker". */
  final class FakeProducer extends MockProducer<byte[], byte[]> {
    final Deque<Throwable> commitFailures = new ArrayDeque<>();
    boolean commitThenTimeOut;
    Throwable sendFailure;
    Throwable abortFailure;
    int aborts;
    private boolean commitTimedOut;

    FakeProducer() {
      super(
          new Cluster("c", List.of(new Node(0, "h", 1)), partitionInfos(), Set.of(), Set.of()),
          true,
          new FirstPartition(),
          new ByteArraySerializer(),
          new ByteArraySerializer());
    }

    @Override
    public synchronized java.util.concurrent.Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record, Callback callback) {
      if (sendFailure != null) {
        throw sneaky(sendFailure);
      }
      return super.send(record, callback);
    }

    @Override
    public void commitTransaction() {
      Throwable f = commitFailures.poll();
      if (f != null && !commitThenTimeOut) {
        commitTimedOut = f instanceof TimeoutException;
        throw sneaky(f);
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      uncommittedOffsets().values().forEach(offsets::putAll);
      super.commitTransaction();
      brokerOffsets.putAll(offsets);
      if (f != null) {
        // The broker committed, but the answer never came back: the outcome is unknown here.
        commitTimedOut = true;
        throw sneaky(f);
      }
    }

    @Override
    public void abortTransaction() {
      aborts++;
      if (commitTimedOut) {
        // What Kafka's producer does: a timed-out commit must be retried, not aborted.
        throw new IllegalStateException(
            "Cannot attempt operation `abortTransaction` because the previous call to"
                + " `commitTransaction` timed out and must be retried");
      }
      if (abortFailure != null) {
        throw sneaky(abortFailure);
      }
      super.abortTransaction();
    }
  }

  /** A group consumer replaying the input log from its position; scripted at each poll. */
  final class FakeConsumer extends MockConsumer<byte[], byte[]> {
    final Deque<Throwable> commitSyncFailures = new ArrayDeque<>();
    private final AssignorContext assignor;
    private final AtomicBoolean wakeup = new AtomicBoolean();

    private org.apache.kafka.clients.consumer.ConsumerRebalanceListener listener;
    private boolean quiet;

    FakeConsumer(AssignorContext assignor) {
      super("earliest");
      this.assignor = assignor;
      Map<TopicPartition, Long> beginning = new HashMap<>();
      for (int p = 0; p < logs.size(); p++) {
        beginning.put(in(p), 0L);
      }
      updateBeginningOffsets(beginning);
    }

    AssignorContext assignor() {
      return assignor;
    }

    void assignedTasks(List<TaskId> tasks) {
      assignor.assignedTasks = tasks;
    }

    @Override
    public synchronized void subscribe(
        java.util.Collection<String> topics,
        org.apache.kafka.clients.consumer.ConsumerRebalanceListener l) {
      this.listener = l;
      // The mock's own callbacks reach the thread, except during cooperative(), which makes them.
      super.subscribe(
          topics,
          new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(java.util.Collection<TopicPartition> ps) {
              if (!quiet) {
                l.onPartitionsRevoked(ps);
              }
            }

            @Override
            public void onPartitionsAssigned(java.util.Collection<TopicPartition> ps) {
              if (!quiet) {
                l.onPartitionsAssigned(ps);
              }
            }
          });
    }

    /** A cooperative rebalance in the order of Kafka's consumer (see {@link #rebalanceTo}). */
    void cooperative(List<TopicPartition> next, List<TaskId> tasks) {
      List<TopicPartition> revoked = new ArrayList<>(assignment());
      revoked.removeAll(next);
      List<TopicPartition> added = new ArrayList<>(next);
      added.removeAll(assignment());
      if (!revoked.isEmpty()) {
        listener.onPartitionsRevoked(revoked);
      }
      assignedTasks(tasks);
      quiet = true;
      try {
        rebalance(next);
      } finally {
        quiet = false;
      }
      listener.onPartitionsAssigned(added);
      for (TopicPartition tp : added) {
        OffsetAndMetadata committed = brokerOffsets.get(tp);
        seek(tp, committed == null ? 0 : committed.offset());
      }
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      if (wakeup.getAndSet(false)) {
        throw new WakeupException();
      }
      Runnable step = script.poll();
      if (step == null) {
        thread.shutdown();
        return ConsumerRecords.empty();
      }
      step.run();
      Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> out =
          new java.util.LinkedHashMap<>(); // partitions in order, so processing order is fixed
      for (int p = 0; p < logs.size(); p++) {
        TopicPartition tp = in(p);
        if (!assignment().contains(tp) || paused().contains(tp)) {
          continue;
        }
        List<String> partitionLog = logs.get(p);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long end = Math.min(partitionLog.size(), position(tp) + maxPollRecordsPerPartition);
        for (long o = position(tp); o < end; o++) {
          byte[] v = partitionLog.get((int) o).getBytes(StandardCharsets.UTF_8);
          records.add(
              new ConsumerRecord<>(
                  tp.topic(),
                  tp.partition(),
                  o,
                  1_000L + o,
                  TimestampType.CREATE_TIME,
                  -1,
                  v.length,
                  null,
                  v,
                  new RecordHeaders(),
                  Optional.empty()));
        }
        seek(tp, end);
        if (!records.isEmpty()) {
          out.put(tp, records);
        }
      }
      return out.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(out, Map.of());
    }

    /** The log's end minus the position, as Kafka's consumer knows it after a fetch. */
    @Override
    public synchronized java.util.OptionalLong currentLag(TopicPartition tp) {
      if (!"in".equals(tp.topic()) || tp.partition() >= logs.size()) {
        return super.currentLag(tp);
      }
      return java.util.OptionalLong.of(logs.get(tp.partition()).size() - position(tp));
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndMetadata> committed(
        Set<TopicPartition> partitions) {
      Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
      for (TopicPartition tp : partitions) {
        if (brokerOffsets.containsKey(tp)) {
          out.put(tp, brokerOffsets.get(tp));
        }
      }
      return out;
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      Throwable f = commitSyncFailures.poll();
      if (f != null) {
        throw sneaky(f);
      }
      brokerOffsets.putAll(offsets);
    }

    @Override
    public synchronized void wakeup() {
      wakeup.set(true);
    }
  }

  /** "out" has one partition; a repartition topic one per task. */
  private List<PartitionInfo> partitionInfos() {
    List<PartitionInfo> infos = new ArrayList<>();
    infos.add(new PartitionInfo("out", 0, null, null, null));
    for (String topic : repartitionTopics) {
      for (int p = 0; p < logs.size(); p++) {
        infos.add(new PartitionInfo(topic, p, null, null, null));
      }
    }
    return infos;
  }

  /** Every record of "out" goes to partition 0. */
  static final class FirstPartition implements Partitioner {
    @Override
    public int partition(
        String topic, Object key, byte[] kb, Object value, byte[] vb, Cluster cluster) {
      return 0;
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
  }

  /** Throws an Error as it is; returns a RuntimeException for the caller to throw. */
  private static RuntimeException sneaky(Throwable t) {
    if (t instanceof Error e) {
      throw e;
    }
    return (RuntimeException) t;
  }
}
