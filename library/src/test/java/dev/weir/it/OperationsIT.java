package dev.weir.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.ApplicationState;
import dev.weir.ThreadFailureResponse;
import dev.weir.WeirApplication;
import dev.weir.WeirConfig;
import dev.weir.functions.Collector;
import dev.weir.functions.KeyedProcessFunction;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.Repartition;
import dev.weir.stream.StreamBuilder;
import dev.weir.stream.Topology;
import dev.weir.testkit.EmbeddedKafkaCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ConfigOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.OptionsUtil;

/**
 * Operations on a real broker: the RocksDB options setter, a simulated crash, offset reset policy,
 * topology fingerprint, production errors.
 */
class OperationsIT {
  private static EmbeddedKafkaCluster kafka;

  @TempDir Path tmp;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafkaCluster.start(1);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** in ("k:seq") -> out unchanged, one partition: the output order is the input order. */
  private static Topology copy(String in, String out) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic(in, Serdes.String()), "in")
        .sinkTo(KafkaSink.topic(out, Serdes.String()));
    return b.build();
  }

  private static List<String> seqs(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add("k0:" + i);
    }
    return out;
  }

  private static void deleteBefore(String topic, long offset) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(offset)))
          .all()
          .get();
    }
  }

  /**
   * The configured RocksDB options setter runs inside the tasks: once per task with the task's
   * DBOptions, once per store with its name, after Weir's defaults (it sees Weir's four write
   * buffers), and once when the task closes. Its own value is the one the store runs with.
   */
  @Test
  void theRocksDbConfigSetterIsCalledForEveryTaskAndStoreAndItsValuesWin() throws Exception {
    kafka.createTopic("rs-in", 2);
    kafka.createTopic("rs-out", 2);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "rs", tmp);
    props.put(WeirConfig.STATE_BACKEND_CONFIG, "rocksdb");
    props.put(WeirConfig.ROCKSDB_CONFIG_SETTER_CONFIG, RecordingOptionsSetter.class.getName());
    RecordingOptionsSetter.CALLS.clear();
    Pipelines.produce(kafka.bootstrapServers(), "rs-in", 0, 20, 2);
    try (WeirApplication app =
        new WeirApplication(Pipelines.runningCount("rs-in", "rs-out"), props)) {
      app.start();
      assertThat(
              Pipelines.countProblems(
                  Pipelines.readCommitted(
                      kafka.bootstrapServers(), "rs-out", 20, Duration.ofSeconds(60)),
                  20,
                  2))
          .isEmpty();
    }
    // Sub-topology 1 (after the repartition) holds the counter's state, in two tasks; each task
    // is opened once and closed once (by the application's close).
    assertThat(RecordingOptionsSetter.CALLS)
        .containsExactlyInAnyOrder(
            "db 1_0 atomicFlush=true",
            "db 1_1 atomicFlush=true",
            "store 1_0 counter maxWriteBufferNumber=4",
            "store 1_1 counter maxWriteBufferNumber=4",
            "close 1_0",
            "close 1_1");
    // RocksDB persists the options each store was opened with: the setter's value, not Weir's.
    assertThat(persistedMaxWriteBufferNumbers(tmp, "counter"))
        .isEqualTo(
            Map.of(
                "1_0", RecordingOptionsSetter.MAX_WRITE_BUFFER_NUMBER,
                "1_1", RecordingOptionsSetter.MAX_WRITE_BUFFER_NUMBER));
  }

  /** Per task directory under {@code stateDir}: the store's max_write_buffer_number in RocksDB. */
  private static Map<String, Integer> persistedMaxWriteBufferNumbers(Path stateDir, String store)
      throws Exception {
    List<Path> databases;
    try (Stream<Path> walk = Files.walk(stateDir)) {
      databases =
          walk.filter(d -> d.getFileName().toString().equals("rocksdb") && Files.isDirectory(d))
              .toList();
    }
    Map<String, Integer> out = new TreeMap<>();
    for (Path db : databases) {
      List<ColumnFamilyDescriptor> families = new ArrayList<>();
      try (ConfigOptions config = new ConfigOptions().setIgnoreUnknownOptions(true);
          DBOptions dbOptions = new DBOptions()) {
        OptionsUtil.loadLatestOptions(config, db.toString(), dbOptions, families);
        for (ColumnFamilyDescriptor family : families) {
          if (new String(family.getName(), StandardCharsets.UTF_8).equals(store)) {
            out.put(
                db.getParent().getFileName().toString(),
                family.getOptions().maxWriteBufferNumber());
          }
        }
      } finally {
        families.forEach(f -> f.getOptions().close());
      }
    }
    return out;
  }

  /**
   * Counts per key like {@link Pipelines.RunningCount}, and holds the record with seq {@link
   * #GATE_SEQ} until {@link #RELEASE}, so that a test knows what the thread is doing when it
   * crashes the instance.
   */
  static final class GatedCount extends KeyedProcessFunction<String, String, String> {
    private static final long serialVersionUID = 1L;
    static final int GATE_SEQ = 120;
    static final CountDownLatch REACHED = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);
    private transient ValueState<Long> count;

    @Override
    public void open() {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long(), 0L));
    }

    @Override
    public void processElement(String value, Context ctx, Collector<String> out)
        throws InterruptedException {
      if (value.endsWith(":" + GATE_SEQ)) {
        REACHED.countDown();
        RELEASE.await();
      }
      long n = count.value() + 1;
      count.update(n);
      out.collect(value + ":" + n);
    }
  }

  /**
   * WeirApplication.simulateCrash() stops an instance between two records without committing or
   * aborting: the group's offsets stay those of the last commit before the crash, the committed
   * output holds exactly the results of the records those offsets cover, and no thread of the
   * instance is left. A new instance on the same state directory recovers; the whole output then
   * holds each record once with its right count.
   */
  @Test
  void aSimulatedCrashCommitsNothingAndTheRestartedInstanceOutputsEachRecordOnce()
      throws Exception {
    kafka.createTopic("crash-in", 2);
    kafka.createTopic("crash-out", 2);
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("crash-in", Serdes.String()), "in")
        .keyBy(
            v -> v.substring(0, v.indexOf(':')),
            Serdes.String(),
            Repartition.<String>named("by-key").withValueSerde(Serdes.String()))
        .process(new GatedCount())
        .uid("counter")
        .sinkTo(
            KafkaSink.topic("crash-out", Serdes.String())
                .withKey(v -> v.substring(0, v.indexOf(':')), Serdes.String()));
    Topology topology = b.build();
    String repartition = "crash-by-key-repartition";
    List<TopicPartition> consumed =
        List.of(
            new TopicPartition("crash-in", 0),
            new TopicPartition("crash-in", 1),
            new TopicPartition(repartition, 0),
            new TopicPartition(repartition, 1));
    // The default commit interval: the counter reads the repartition topic read_committed, so
    // it sees (and reaches the gate with) only what the first sub-topology has committed.
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "crash", tmp);
    // The test reads the repartition topic after the crash: Weir must not purge it before.
    props.put(WeirConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, "3600000");
    // The crashed transaction stays open until the restarted instance fences it.
    props.put("producer.transaction.timeout.ms", "900000");
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      expected.add("k" + (i % 4) + ":" + i + ":" + (i / 4 + 1));
    }

    WeirApplication crashed = new WeirApplication(topology, props);
    try {
      crashed.start();
      // A first half that both sub-topologies commit, so that the crash lands after commits of
      // the counter's state, then a second half whose seq GATE_SEQ is in hand at the crash.
      Pipelines.produce(kafka.bootstrapServers(), "crash-in", 0, 100, 4);
      assertThat(
              Pipelines.readCommitted(
                  kafka.bootstrapServers(), "crash-out", 100, Duration.ofSeconds(60)))
          .containsExactlyInAnyOrderElementsOf(expected.subList(0, 100));
      Pipelines.produce(kafka.bootstrapServers(), "crash-in", 100, 200, 4);
      assertThat(GatedCount.REACHED.await(60, TimeUnit.SECONDS)).isTrue();
      // The only stream thread waits in the gate, so no commit starts until it is released.
      Map<TopicPartition, OffsetAndMetadata> lastCommit = committedOffsets("crash", consumed);
      AtomicBoolean stoppedInTime = new AtomicBoolean();
      Thread crasher =
          new Thread(
              () -> stoppedInTime.set(crashed.simulateCrash(Duration.ofSeconds(60))), "crasher");
      crasher.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> crashed.state() == ApplicationState.PENDING_SHUTDOWN);
      // The commit interval has long passed: only the halt keeps the thread from committing.
      GatedCount.RELEASE.countDown();
      crasher.join(Duration.ofSeconds(60).toMillis());
      assertThat(crasher.isAlive()).isFalse();
      assertThat(stoppedInTime).isTrue();
      assertThat(crashed.state()).isEqualTo(ApplicationState.NOT_RUNNING);
      // Stream threads, client threads, restore writers: all carry the application id.
      assertThat(liveThreadsNamedAfter("crash")).isEmpty();

      assertThat(committedOffsets("crash", consumed)).isEqualTo(lastCommit);
      List<String> committedInputs = recordsBelow(repartition, lastCommit);
      assertThat(committedInputs)
          .hasSizeGreaterThanOrEqualTo(100)
          .doesNotContain("k0:" + GatedCount.GATE_SEQ);
      List<String> committedOutputs = new ArrayList<>();
      for (String v : committedInputs) {
        int seq = Integer.parseInt(v.substring(v.indexOf(':') + 1));
        committedOutputs.add(v + ":" + (seq / 4 + 1));
      }
      assertThat(
              Pipelines.readCommitted(
                  kafka.bootstrapServers(),
                  "crash-out",
                  committedOutputs.size(),
                  Duration.ofSeconds(60)))
          .containsExactlyInAnyOrderElementsOf(committedOutputs);
    } finally {
      GatedCount.RELEASE.countDown();
      crashed.close(Duration.ofSeconds(60));
    }

    // Second run, same state directory (same instance id, so its producer fences the open one).
    try (WeirApplication app = new WeirApplication(topology, props)) {
      app.start();
      assertThat(
              Pipelines.readCommitted(
                  kafka.bootstrapServers(), "crash-out", 200, Duration.ofSeconds(60)))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /**
   * The group's committed offsets of {@code partitions} (null where none). A read_committed
   * consumer asks for stable offsets: the broker holds back offsets of a transaction whose commit
   * is still being completed, and the consumer retries until it is.
   */
  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(
      String group, List<TopicPartition> partitions) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Never subscribes, so it never joins the group.
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      return new HashMap<>(consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(60)));
    }
  }

  /** The committed values of {@code topic} below the offsets in {@code committed}. */
  private static List<String> recordsBelow(
      String topic, Map<TopicPartition, OffsetAndMetadata> committed) {
    Map<TopicPartition, Long> ends = new HashMap<>();
    committed.forEach(
        (tp, o) -> {
          if (tp.topic().equals(topic)) {
            ends.put(tp, o == null ? 0 : o.offset());
          }
        });
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(ends.keySet());
      consumer.seekToBeginning(ends.keySet());
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        assertThat(System.nanoTime()).as("reading %s up to %s", topic, ends).isLessThan(deadline);
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
            values.add(r.value());
          }
        }
      }
    }
    return values;
  }

  /** Live threads whose name holds {@code applicationId}. */
  private static List<String> liveThreadsNamedAfter(String applicationId) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.contains(applicationId))
        .toList();
  }

  @Test
  void committedOffsetOutOfRangeFollowsTheResetPolicy() throws Exception {
    kafka.createTopic("oor-in", 1);
    kafka.createTopic("oor-out", 1);
    Topology t = copy("oor-in", "oor-out");
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "oor", tmp);
    Pipelines.produce(kafka.bootstrapServers(), "oor-in", 0, 100, 1);
    try (WeirApplication app = new WeirApplication(t, props)) {
      app.start();
      assertThat(
              Pipelines.readCommitted(
                  kafka.bootstrapServers(), "oor-out", 100, Duration.ofSeconds(60)))
          .containsExactlyElementsOf(seqs(0, 100));
    } // committed offset: 100

    // While the application is down, records 100..149 are written and deleted unprocessed.
    Pipelines.produce(kafka.bootstrapServers(), "oor-in", 100, 200, 1);
    deleteBefore("oor-in", 150);
    try (WeirApplication app = new WeirApplication(t, props)) {
      app.start();
      List<String> expected = seqs(0, 100);
      expected.addAll(seqs(150, 200));
      assertThat(
              Pipelines.readCommitted(
                  kafka.bootstrapServers(), "oor-out", 150, Duration.ofSeconds(60)))
          .containsExactlyElementsOf(expected);
      assertThat(app.metricsSnapshot().get("offset-resets")).isEqualTo(1L);
    } // committed offset: 200

    // offset.reset.policy=none: the thread fails and says why and what to do.
    Pipelines.produce(kafka.bootstrapServers(), "oor-in", 200, 300, 1);
    deleteBefore("oor-in", 250);
    props.put(WeirConfig.OFFSET_RESET_POLICY_CONFIG, "none");
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (WeirApplication app = new WeirApplication(t, props)) {
      app.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return ThreadFailureResponse.SHUTDOWN_INSTANCE;
          });
      app.start();
      assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.ERROR)).isTrue();
    }
    assertThat(failure.get())
        .hasMessageContaining("the offsets {oor-in-0=200} of input partitions are out of range")
        .hasMessageContaining("offset.reset.policy=none stops here")
        .hasMessageContaining("Set offset.reset.policy=earliest");
  }

  @Test
  void anInstanceWithAnotherTopologyIsRejectedNamingBothFingerprints() {
    kafka.createTopic("fp-in", 2);
    kafka.createTopic("fp-out", 2);
    Properties a = Pipelines.appProps(kafka.bootstrapServers(), "fp", tmp.resolve("a"));
    Properties b = Pipelines.appProps(kafka.bootstrapServers(), "fp", tmp.resolve("b"));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (WeirApplication first = new WeirApplication(Pipelines.keyedEtl("fp-in", "fp-out"), a);
        WeirApplication second =
            new WeirApplication(Pipelines.runningCount("fp-in", "fp-out"), b)) {
      first.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> first.state() == ApplicationState.RUNNING);
      second.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return ThreadFailureResponse.SHUTDOWN_INSTANCE;
          });
      second.start();
      assertThat(second.awaitState(Duration.ofSeconds(60), ApplicationState.ERROR)).isTrue();
      assertThat(failure.get())
          .hasMessageMatching(
              "(?s)This instance of application 'fp' runs topology [0-9a-f]{16} but the group's"
                  + " leader runs topology [0-9a-f]{16}, so the leader gave it no tasks.*stop"
                  + " every instance, then start the new version.*");
      // The first instance keeps all tasks and keeps working.
      Pipelines.produce(kafka.bootstrapServers(), "fp-in", 0, 100, 4);
      assertThat(
              Pipelines.countBySeq(
                      Pipelines.readCommitted(
                          kafka.bootstrapServers(), "fp-out", 100, Duration.ofSeconds(60)))
                  .keySet())
          .hasSize(100);
      assertThat(first.state()).isEqualTo(ApplicationState.RUNNING);
    }
  }

  /** in -> out, but the record "k0:5" becomes a 2 MB value: over the default max.request.size. */
  private static Topology inflating(String in, String out) {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic(in, Serdes.String()), "in")
        .map(v -> v.equals("k0:5") ? "x".repeat(2_000_000) : v)
        .name("inflate")
        .sinkTo(KafkaSink.topic(out, Serdes.String()));
    return b.build();
  }

  @Test
  void recordTooLargeIsSkippedUnderExactlyOnceAndTheRestOfTheTransactionCommits() {
    kafka.createTopic("big-in", 1);
    kafka.createTopic("big-out", 1);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "big", tmp);
    props.put(WeirConfig.PRODUCTION_HANDLER_CONFIG, WeirConfig.HANDLER_LOG_AND_SKIP);
    // One commit interval for all ten records, so the skipped one shares their transaction.
    props.put(WeirConfig.COMMIT_INTERVAL_MS_CONFIG, 60_000);
    props.put("producer.transaction.timeout.ms", 120_000); // must outlast the commit interval
    Pipelines.produce(kafka.bootstrapServers(), "big-in", 0, 10, 1);
    List<String> expected = seqs(0, 10);
    expected.remove("k0:5");
    try (WeirApplication app = new WeirApplication(inflating("big-in", "big-out"), props)) {
      app.start();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> app.metricsSnapshot().get("records-in") >= 10);
      app.close(Duration.ofSeconds(30)); // the final commit
      assertThat(app.metricsSnapshot().get("production-errors-skipped")).isEqualTo(1L);
      assertThat(app.metricsSnapshot().get("rollbacks")).isZero();
    }
    assertThat(
            Pipelines.readCommitted(kafka.bootstrapServers(), "big-out", 9, Duration.ofSeconds(30)))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void recordTooLargeUnderFailStopsTheThreadOnceWithTheFix() {
    kafka.createTopic("big2-in", 1);
    kafka.createTopic("big2-out", 1);
    Properties props = Pipelines.appProps(kafka.bootstrapServers(), "big2", tmp);
    Pipelines.produce(kafka.bootstrapServers(), "big2-in", 0, 10, 1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (WeirApplication app = new WeirApplication(inflating("big2-in", "big2-out"), props)) {
      app.setUncaughtExceptionHandler(
          e -> {
            failure.set(e);
            return ThreadFailureResponse.SHUTDOWN_INSTANCE;
          });
      app.start();
      assertThat(app.awaitState(Duration.ofSeconds(60), ApplicationState.ERROR)).isTrue();
      assertThat(app.metricsSnapshot().get("rollbacks")).isZero();
    }
    assertThat(failure.get())
        .hasMessageContaining("a record for topic big2-out cannot be written")
        .hasMessageContaining("RecordTooLargeException")
        .hasMessageContaining("errors.production.handler=fail stops here")
        .hasMessageContaining("raise producer.max.request.size");
  }
}
