package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.errors.RecordProcessingException;
import dev.weir.eventtime.WatermarkStrategy;
import dev.weir.functions.AsyncFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.ProcessFunction;
import dev.weir.functions.ResultFuture;
import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.runtime.CommitOrder;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import dev.weir.stream.AsyncDataStream;
import dev.weir.stream.DataStream;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Design record 015 step by step: requests stay in flight across a commit, which writes them into
 * the operator's store; a crash loses the uncommitted output, state and offsets, and the task is
 * rebuilt from the committed changelog, offsets and event-time metadata alone, starts the stored
 * requests again and re-reads the input after the committed offset. Every test asserts the whole
 * committed output.
 */
class AsyncCommitProtocolTest {
  private static final TopicPartition IN = new TopicPartition("in", 0);
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final Map<Integer, List<Request>> SERVICES = new ConcurrentHashMap<>();

  /** One request the fake service received. */
  record Request(String input, ResultFuture<String> future) {}

  /** Records each request; the test completes them. */
  static final class Lookup implements AsyncFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private final int service;

    Lookup(int service) {
      this.service = service;
    }

    @Override
    public void asyncInvoke(String input, ResultFuture<String> resultFuture) {
      SERVICES.get(service).add(new Request(input, resultFuture));
    }
  }

  /** Appends the event time the operator after the async one sees. */
  static final class WithWatermark extends ProcessFunction<String, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(String v, Context ctx, Collector<String> out) {
      out.collect(v + "@" + ctx.timestamp() + "/wm" + ctx.currentWatermark());
    }
  }

  private final int service = IDS.incrementAndGet();

  {
    SERVICES.put(service, new ArrayList<>());
  }

  @AfterEach
  void forget() {
    SERVICES.remove(service);
  }

  private List<Request> requests() {
    return SERVICES.get(service);
  }

  private List<String> requested() {
    return requests().stream().map(Request::input).toList();
  }

  /** Completes the latest request of {@code input}, from another thread as a client would. */
  private void complete(String input, String... results) throws Exception {
    Request r = null;
    for (Request q : requests()) {
      if (q.input().equals(input)) {
        r = q;
      }
    }
    if (r == null) {
      throw new IllegalArgumentException("no request for " + input + ": " + requested());
    }
    ResultFuture<String> f = r.future();
    Thread t = new Thread(() -> f.complete(List.of(results)));
    t.start();
    t.join();
  }

  private Rig ordered() throws Exception {
    Rig rig =
        new Rig(
            false,
            in ->
                AsyncDataStream.orderedWait(in, new Lookup(service), 1, TimeUnit.HOURS, 10)
                    .name("enrich"));
    rig.start();
    return rig;
  }

  @Test
  void aCommitKeepsTheRequestsInFlightAndARestartRequestsThemAgainInOrder() throws Exception {
    Rig rig = ordered();
    rig.input("a", "b", "c", "d");
    rig.feed(3);
    complete("b", "B");
    rig.commit(); // a, b (done, behind a) and c in flight: all three are stored
    assertThat(rig.committedOutput).isEmpty();
    assertThat(rig.committedOffset).isEqualTo(3);
    complete("a", "A");
    rig.feed(1); // d
    rig.crashAndRestart(); // A, B and d's request are lost with the open transaction

    assertThat(requested()).containsExactly("a", "b", "c", "d", "a", "b", "c");
    rig.feed(1); // d again, after the restored requests
    complete("c", "C");
    complete("d", "D");
    complete("b", "B");
    rig.runAsync();
    assertThat(rig.uncommittedOutput).isEmpty(); // a is the head
    complete("a", "A");
    rig.commit();

    assertThat(rig.committedOutput).containsExactly("A", "B", "C", "D");
    assertThat(rig.committedOffset).isEqualTo(4);
    assertThat(rig.storedRequests()).isZero();
  }

  @Test
  void resultsEmittedAfterACommitDeleteTheirRequestsInTheNextOne() throws Exception {
    Rig rig = ordered();
    rig.input("a", "b", "c");
    rig.feed(3);
    rig.commit();
    assertThat(rig.storedRequests()).isEqualTo(3);
    complete("a", "A");
    complete("b", "B");
    rig.commit(); // A and B committed; their entries deleted in the same transaction
    assertThat(rig.storedRequests()).isEqualTo(1);
    rig.crashAndRestart();

    assertThat(requested()).containsExactly("a", "b", "c", "c");
    complete("c", "C");
    rig.commit();
    assertThat(rig.committedOutput).containsExactly("A", "B", "C");
    assertThat(rig.storedRequests()).isZero();
  }

  @Test
  void aCrashBeforeTheFirstCommitReadsEverythingAgain() throws Exception {
    Rig rig = ordered();
    rig.input("a", "b");
    rig.feed(2);
    complete("a", "A");
    rig.runAsync();
    rig.crashAndRestart();

    assertThat(requested()).containsExactly("a", "b");
    rig.feed(2);
    complete("b", "B");
    complete("a", "A");
    rig.commit();
    assertThat(rig.committedOutput).containsExactly("A", "B");
  }

  /**
   * Unordered, with event time: a enters under no watermark, b under 999. After the restart the
   * inputs' watermark is the committed 4999, but the restored requests keep their segments and hold
   * event time back: b still waits for a, and the operator after them sees the same watermarks as
   * without the crash.
   */
  @Test
  void restoredRequestsKeepTheirWatermarkSegmentsAndHoldEventTime() throws Exception {
    Rig rig =
        new Rig(
            true,
            in ->
                AsyncDataStream.unorderedWait(in, new Lookup(service), 1, TimeUnit.HOURS, 10)
                    .process(new WithWatermark()));
    rig.start();
    rig.input("a", "b", "c");
    rig.feed(1, 1000);
    rig.feed(1, 5000);
    rig.commit();
    rig.crashAndRestart();

    assertThat(requested()).containsExactly("a", "b", "a", "b");
    complete("b", "b");
    rig.runAsync();
    assertThat(rig.uncommittedOutput).isEmpty();
    rig.feed(1, 6000); // c enters under 4999
    complete("c", "c");
    complete("a", "a");
    rig.commit();
    assertThat(rig.committedOutput)
        .containsExactly("a@1000/wm-9223372036854775808", "b@5000/wm999", "c@6000/wm4999");
  }

  @Test
  void aRestoredRequestThatFailsNamesItsOriginalRecord() throws Exception {
    Rig rig = ordered();
    rig.input("a", "b");
    rig.feed(2);
    rig.commit();
    rig.crashAndRestart();
    Request b = requests().get(3);
    Thread t =
        new Thread(() -> b.future().completeExceptionally(new IllegalStateException("gone")));
    t.start();
    t.join();
    complete("a", "A");
    assertThatThrownBy(rig::runAsync)
        .isInstanceOf(RecordProcessingException.class)
        .hasMessageContaining("record in-0@1 failed in 'enrich'")
        .hasMessageContaining("gone");
  }

  @Test
  void withoutAnInputSerdeThereIsNoStoreAndACommitRefusesRequestsInFlight() throws Exception {
    Rig rig =
        new Rig(
            false,
            in ->
                AsyncDataStream.orderedWait(
                    in.map(v -> v), new Lookup(service), 1, TimeUnit.HOURS));
    assertThat(rig.specs).isEmpty();
    rig.start();
    rig.input("a");
    rig.feed(1);
    assertThat(rig.task.asyncInFlightToDrain()).isEqualTo(1);
    // The stream thread waits for the request before it commits (TaskManager.commit); without
    // that wait the commit refuses.
    assertThatThrownBy(rig::commitOnly)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 async requests in flight that no store keeps");
  }

  /** One task of {@code in -> (wiring) -> out}, its changelog, offsets and committed output. */
  private static final class Rig {
    final Plan plan;
    final TaskBuilder builder;
    final List<TaskState.StoreSpec> specs = new ArrayList<>();
    final StateBackend backend = StateBackends.inMemory();
    final List<byte[][]> changelog = new ArrayList<>();
    final List<byte[][]> pending = new ArrayList<>();
    final List<String> input = new ArrayList<>();
    final List<String> uncommittedOutput = new ArrayList<>();
    final List<String> committedOutput = new ArrayList<>();
    OffsetAndMetadata committed;
    long committedOffset;
    long position;
    long now = 1;
    boolean written;
    TaskStateStore base;
    StreamTask task;

    Rig(boolean eventTime, Function<DataStream<String>, DataStream<String>> wiring) {
      StreamBuilder b = new StreamBuilder();
      DataStream<String> in =
          eventTime
              ? b.fromSource(
                  KafkaSource.topic("in", Serdes.String()),
                  WatermarkStrategy.forMonotonousTimestamps(),
                  "in")
              : b.fromSource(KafkaSource.topic("in", Serdes.String()), "in");
      wiring.apply(in).sinkTo(KafkaSink.topic("out", Serdes.String()));
      plan = TopologyAccess.plan(b.build(), "app");
      for (String store : plan.stores(plan.subTopologies().get(0))) {
        specs.add(new TaskState.StoreSpec(store, plan.changelogTopic(store)));
      }
      builder =
          new TaskBuilder(
              plan,
              Translator.translate(plan),
              new ErrorHandling(ConfigKeys.HANDLER_FAIL, ConfigKeys.HANDLER_FAIL, null),
              sub -> 1);
    }

    void input(String... values) {
      input.addAll(List.of(values));
    }

    /** The process died: the task is rebuilt from what Kafka committed. */
    void crashAndRestart() throws Exception {
      start();
    }

    /** Restores the store from the committed changelog and opens a new task. */
    void start() throws Exception {
      if (base != null) {
        base.close();
      }
      base = backend.open("0_0", TaskState.storeNames(specs));
      StateWriteBatch batch = base.newWriteBatch();
      for (byte[][] r : changelog) {
        String store = specs.get(0).store();
        if (r[1] == null) {
          batch.delete(store, r[0]);
        } else {
          batch.put(store, r[0], ChangelogFormat.decodeValue(r[1]));
        }
      }
      base.applyBatch(batch);
      TaskContext ctx =
          new TaskContext("app", new TaskId(0, 0), 1, collector(), () -> now, new TaskMetrics());
      ctx.setSerdeConfigs(Map.of());
      if (!specs.isEmpty()) {
        ctx.setState(TaskState.wrap(base, 0, specs));
      }
      pending.clear();
      uncommittedOutput.clear();
      written = false;
      position = committedOffset;
      task = builder.build(new TaskId(0, 0), ctx);
      task.open();
      if (committed != null) {
        task.restoreEventTime(Map.of(IN, committed));
      }
    }

    /** Number of requests in the committed store. */
    long storedRequests() {
      return base.store(specs.get(0).store()).approximateNumEntries();
    }

    void feed(int n) throws Exception {
      feed(n, 0);
    }

    void feed(int n, long timestamp) throws Exception {
      for (int i = 0; i < n; i++) {
        long offset = position++;
        byte[] v = input.get((int) offset).getBytes(StandardCharsets.UTF_8);
        task.process(
            IN,
            new ConsumerRecord<>(
                "in",
                0,
                offset,
                timestamp,
                TimestampType.CREATE_TIME,
                0,
                v.length,
                null,
                v,
                new RecordHeaders(),
                java.util.Optional.empty()));
        now++;
        task.advanceEventTime(now, topic -> true);
      }
    }

    void runAsync() throws Exception {
      task.runAsync();
      task.releaseHeldEventTime(now);
    }

    /** The stream thread's commit: emit what arrived, then the commit protocol. */
    void commit() throws Exception {
      task.awaitAsync(new Semaphore(0));
      commitOnly();
    }

    /** The commit protocol without the wait for results before it. */
    void commitOnly() {
      CommitOrder.commit(
          List.of(task),
          new CommitOrder.Transaction() {
            @Override
            public boolean hasUncommittedWrites() {
              return written;
            }

            @Override
            public boolean needsFencingOffset() {
              return false;
            }

            @Override
            public void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
              changelog.addAll(pending);
              pending.clear();
              committedOutput.addAll(uncommittedOutput);
              uncommittedOutput.clear();
              written = false;
              OffsetAndMetadata o = offsets.get(IN);
              if (o != null) {
                committed = o;
                committedOffset = o.offset();
              }
            }
          },
          new TaskMetrics(),
          () -> 0L);
    }

    private RecordCollector collector() {
      return new RecordCollector() {
        @Override
        public void send(
            String topic, Integer partition, byte[] key, byte[] value, long ts, Headers h) {
          written = true;
          if (topic.equals("out")) {
            uncommittedOutput.add(new String(value, StandardCharsets.UTF_8));
          }
        }

        @Override
        public int partitionCount(String topic) {
          return 1;
        }

        @Override
        public void sendChangelog(
            String topic, int partition, byte[] key, byte[] value, long ts, LongConsumer onOff) {
          pending.add(new byte[][] {key, value});
          written = true;
        }
      };
    }
  }
}
