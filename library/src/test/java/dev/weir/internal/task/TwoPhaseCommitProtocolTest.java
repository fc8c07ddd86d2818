package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.runtime.CommitOrder;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two-phase-commit protocol of design record 011, step by step, against a fake external system
 * that records every call: the task commits through the runtime's {@link CommitOrder}; a crash
 * throws out of the protocol at the named point and the task is rebuilt from the committed
 * changelog alone (the local store of a crashed process is not trusted here, the stricter case);
 * the input is re-read from the committed offset. Every test ends with the external system showing
 * every input exactly once.
 */
class TwoPhaseCommitProtocolTest {
  private static final String P = "app-sink-0_0-";
  private static final TopicPartition IN = new TopicPartition("in", 0);

  private FakeExternalSystem system;
  private Rig rig;

  @BeforeEach
  void setUp() throws Exception {
    system = FakeExternalSystem.create("protocol");
    rig = new Rig(ConfigKeys.HANDLER_FAIL);
    rig.start();
  }

  @Test
  void commitsAfterTheKafkaCommitInOrder() throws Exception {
    rig.input("a", "b", "c");
    rig.feed(2);
    rig.commit();
    rig.feed(1);
    rig.commit();
    rig.commit(); // nothing written: no transaction begun, nothing recorded

    assertThat(system.calls)
        .containsExactly(
            "open app-sink-0_0",
            "recoverAndAbort []",
            "begin " + P + "0",
            "invoke " + P + "0 a",
            "invoke " + P + "0 b",
            "preCommit " + P + "0",
            "commit " + P + "0",
            "begin " + P + "1",
            "invoke " + P + "1 c",
            "preCommit " + P + "1",
            "commit " + P + "1");
    assertThat(rig.kafkaCommits).isEqualTo(2);
    assertThat(rig.metrics.sinkPreCommits.sum()).isEqualTo(2);
    assertThat(rig.metrics.sinkCommits.sum()).isEqualTo(2);
    assertThat(rig.metrics.sinkRecoveredCommits.sum()).isZero();
    assertThat(system.visible).containsExactly("a", "b", "c");
  }

  @Test
  void aSinkCanAskForATransactionAtACommitWithoutRecords() throws Exception {
    rig.input("a");
    rig.feed(1);
    rig.commit();
    system.wantsTransaction = true;
    rig.commit(); // no record: the sink asked, so a transaction is begun and recorded
    rig.commit(); // no record and no wish: nothing
    rig.crashAndRestart();

    assertThat(system.calls)
        .containsExactly(
            "open app-sink-0_0",
            "recoverAndAbort []",
            "begin " + P + "0",
            "invoke " + P + "0 a",
            "preCommit " + P + "0",
            "commit " + P + "0",
            "begin " + P + "1",
            "preCommit " + P + "1",
            "commit " + P + "1",
            "open app-sink-0_0",
            "recoverAndCommit " + P + "1",
            "recoverAndAbort [" + P + "1]");
    assertThat(rig.kafkaCommits).isEqualTo(2);
    assertThat(system.visible).containsExactly("a");
  }

  @Test
  void crashBeforePreCommitAbortsTheOpenTransactionOnRestore() throws Exception {
    rig.input("a", "b");
    rig.feed(1);
    rig.commit();
    rig.feed(1);
    system.calls.clear();

    rig.crashAndRestart();
    rig.feed(1);
    rig.commit();

    assertThat(system.calls)
        .containsExactly(
            "open app-sink-0_0",
            "recoverAndCommit " + P + "0",
            "recoverAndAbort [" + P + "0]",
            "aborted " + P + "1",
            "begin " + P + "1",
            "invoke " + P + "1 b",
            "preCommit " + P + "1",
            "commit " + P + "1");
    assertThat(system.visible).containsExactly("a", "b");
    // The handle of transaction 0 stays in committed state: the restore commits it again.
    assertThat(rig.metrics.sinkRecoveredCommits.sum()).isEqualTo(1);
    assertThat(rig.metrics.sinkCommits.sum()).isEqualTo(2);
  }

  @Test
  void crashAfterPreCommitBeforeTheKafkaCommitAbortsThePreparedTransaction() throws Exception {
    rig.input("a", "b");
    rig.feed(1);
    rig.crashAtKafkaCommit = true;
    assertThatThrownBy(rig::commit).isInstanceOf(FakeExternalSystem.Crash.class);
    assertThat(system.transactions).containsEntry(P + "0", FakeExternalSystem.State.PREPARED);
    system.calls.clear();

    rig.crashAndRestart();
    rig.feed(2);
    rig.commit();

    assertThat(system.calls)
        .containsExactly(
            "open app-sink-0_0",
            "recoverAndAbort []",
            "aborted " + P + "0",
            "begin " + P + "0",
            "invoke " + P + "0 a",
            "invoke " + P + "0 b",
            "preCommit " + P + "0",
            "commit " + P + "0");
    assertThat(system.visible).containsExactly("a", "b");
  }

  @Test
  void crashAfterTheKafkaCommitBeforeTheExternalCommitCommitsOnRestore() throws Exception {
    rig.input("a", "b", "c");
    rig.feed(2);
    system.crashAt("commit");
    assertThatThrownBy(rig::commit).isInstanceOf(FakeExternalSystem.Crash.class);
    assertThat(system.visible).isEmpty();
    system.calls.clear();

    rig.crashAndRestart();
    assertThat(system.visible).containsExactly("a", "b");
    rig.feed(1); // the committed offset is past a and b: only c is read again
    rig.commit();

    assertThat(system.calls)
        .containsExactly(
            "open app-sink-0_0",
            "recoverAndCommit " + P + "0",
            "recoverAndAbort [" + P + "0]",
            "begin " + P + "1",
            "invoke " + P + "1 c",
            "preCommit " + P + "1",
            "commit " + P + "1");
    assertThat(system.visible).containsExactly("a", "b", "c");
  }

  @Test
  void crashesDuringRecoveryAreRecoveredByTheNextRestore() throws Exception {
    rig.input("a", "b");
    rig.feed(1);
    system.crashAt("commit");
    assertThatThrownBy(rig::commit).isInstanceOf(FakeExternalSystem.Crash.class);
    rig.feed(1); // b goes into a transaction that is never recorded
    system.crashAt("recoverAndCommit");
    assertThatThrownBy(rig::crashAndRestart).isInstanceOf(FakeExternalSystem.Crash.class);
    system.crashAt("recoverAndAbort");
    assertThatThrownBy(rig::crashAndRestart).isInstanceOf(FakeExternalSystem.Crash.class);
    system.calls.clear();

    rig.crashAndRestart();
    rig.feed(1);
    rig.commit();

    assertThat(system.calls)
        .containsExactly(
            "open app-sink-0_0",
            "recoverAndCommit " + P + "0",
            "recoverAndAbort [" + P + "0]",
            "aborted " + P + "1",
            "begin " + P + "1",
            "invoke " + P + "1 b",
            "preCommit " + P + "1",
            "commit " + P + "1");
    assertThat(system.visible).containsExactly("a", "b");
  }

  @Test
  void theCommittedHandleIsCommittedAgainIdempotentlyOnEveryRestore() throws Exception {
    rig.input("a");
    rig.feed(1);
    rig.commit();
    rig.crashAndRestart();
    rig.crashAndRestart();

    assertThat(system.calls)
        .containsSubsequence(
            "commit " + P + "0", "recoverAndCommit " + P + "0", "recoverAndCommit " + P + "0");
    assertThat(system.visible).containsExactly("a");
  }

  @Test
  void aFailedExternalCommitFailsTheCommitAndIsRetriedByTheRebuiltTask() throws Exception {
    rig.input("a", "b");
    rig.feed(1);
    system.failAt("commit");
    assertThatThrownBy(rig::commit)
        .isInstanceOf(ExternalTransactionException.class)
        .isInstanceOf(org.apache.kafka.common.KafkaException.class)
        .hasMessageContaining("Task 0_0: two-phase-commit sink 'sink'")
        .hasMessageContaining("commits it again on restore");
    assertThat(rig.kafkaCommits).isEqualTo(1);
    assertThat(system.visible).isEmpty();
    system.calls.clear();

    rig.rollBack(); // what the stream thread does after the failure policy: close dirty, rebuild
    rig.feed(1);
    rig.commit();

    assertThat(system.calls)
        .containsExactly(
            "close",
            "open app-sink-0_0",
            "recoverAndCommit " + P + "0",
            "recoverAndAbort [" + P + "0]",
            "begin " + P + "1",
            "invoke " + P + "1 b",
            "preCommit " + P + "1",
            "commit " + P + "1");
    assertThat(system.visible).containsExactly("a", "b");
  }

  @Test
  void aFailedPreCommitAbortsItsTransactionAndTheKafkaTransaction() throws Exception {
    rig.input("a");
    rig.feed(1);
    system.failAt("preCommit");
    assertThatThrownBy(rig::commit)
        .isInstanceOf(ExternalTransactionException.class)
        .hasMessageContaining("failed to pre-commit");
    assertThat(rig.kafkaCommits).isZero();
    system.calls.clear();

    rig.rollBack();
    rig.feed(1);
    rig.commit();

    assertThat(system.calls)
        .containsExactly(
            "close",
            "open app-sink-0_0",
            "recoverAndAbort []",
            "begin " + P + "0",
            "invoke " + P + "0 a",
            "preCommit " + P + "0",
            "commit " + P + "0");
    assertThat(system.visible).containsExactly("a");
  }

  @Test
  void aKafkaCommitThatFailsLeavesThePreparedTransactionToTheRestoreNeverToAnAbort()
      throws Exception {
    rig.input("a");
    rig.feed(1);
    rig.failKafkaCommit = true;
    assertThatThrownBy(rig::commit).isInstanceOf(org.apache.kafka.common.KafkaException.class);
    system.calls.clear();

    rig.rollBack();

    // The outcome of a failed commit can be unknown (a timeout): close must not abort the prepared
    // transaction; the restore reads the outcome from the changelog and aborts it.
    assertThat(system.calls)
        .containsExactly("close", "open app-sink-0_0", "recoverAndAbort []", "aborted " + P + "0");
  }

  @Test
  void aRecordTheSinkRejectsGoesThroughTheErrorHandler() throws Exception {
    rig = new Rig(ConfigKeys.HANDLER_LOG_AND_SKIP);
    rig.start();
    rig.input("a", "bad-1", "b");
    rig.feed(3);
    rig.commit();

    assertThat(system.visible).containsExactly("a", "b");
    assertThat(rig.committedOffset).isEqualTo(3);
  }

  @Test
  void aRecordTheSinkRejectsFailsTheTaskUnderFail() throws Exception {
    rig.input("bad-1");
    assertThatThrownBy(() -> rig.feed(1))
        .isInstanceOf(dev.weir.errors.RecordProcessingException.class)
        .hasMessageContaining("sink");
  }

  /** One task of {@code in -> sinkTo(fake)}, its changelog and its input offsets. */
  private static final class Rig {
    final Plan plan;
    final TaskBuilder builder;
    final List<TaskState.StoreSpec> specs = new ArrayList<>();
    final StateBackend backend = StateBackends.inMemory();
    final List<byte[][]> changelog = new ArrayList<>();
    final List<byte[][]> pending = new ArrayList<>();
    final List<String> input = new ArrayList<>();
    long committedOffset;
    long position;
    int kafkaCommits;
    boolean crashAtKafkaCommit;
    boolean failKafkaCommit;
    boolean written;
    TaskStateStore base;
    StreamTask task;

    Rig(String processingHandler) {
      StreamBuilder b = new StreamBuilder();
      b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
          .sinkTo(new FakeExternalSystem.Sink("protocol"))
          .uid("sink");
      plan = TopologyAccess.plan(b.build(), "app");
      for (String store : plan.stores(plan.subTopologies().get(0))) {
        specs.add(new TaskState.StoreSpec(store, plan.changelogTopic(store)));
      }
      builder =
          new TaskBuilder(
              plan,
              Translator.translate(plan),
              new ErrorHandling(ConfigKeys.HANDLER_FAIL, processingHandler, null),
              sub -> 1);
    }

    void input(String... values) {
      input.addAll(List.of(values));
    }

    /** Restores the store from the committed changelog and opens a new task. */
    void start() throws Exception {
      if (base != null) {
        base.close();
      }
      base = backend.open("0_0", TaskState.storeNames(specs));
      StateWriteBatch batch = base.newWriteBatch();
      String store = specs.get(0).store();
      for (byte[][] r : changelog) {
        if (r[1] == null) {
          batch.delete(store, r[0]);
        } else {
          batch.put(store, r[0], ChangelogFormat.decodeValue(r[1]));
        }
      }
      base.applyBatch(batch);
      TaskContext ctx = new TaskContext("app", new TaskId(0, 0), 1, collector(), () -> 0L, metrics);
      ctx.setSerdeConfigs(Map.of());
      ctx.setState(TaskState.wrap(base, 0, specs));
      pending.clear();
      written = false;
      position = committedOffset;
      task = builder.build(new TaskId(0, 0), ctx);
      task.open();
    }

    /** The sink counters, kept across restarts as a stream thread keeps its own. */
    final TaskMetrics metrics = new TaskMetrics();

    /** The process died: nothing is closed, the open Kafka transaction is aborted by the broker. */
    void crashAndRestart() throws Exception {
      start();
    }

    /** The stream thread's rollback: the tasks close dirty and are created again. */
    void rollBack() throws Exception {
      task.close(false);
      start();
    }

    void feed(int n) throws Exception {
      for (int i = 0; i < n; i++) {
        long offset = position++;
        byte[] v = input.get((int) offset).getBytes(StandardCharsets.UTF_8);
        task.process(IN, new ConsumerRecord<byte[], byte[]>("in", 0, offset, new byte[0], v));
      }
    }

    void commit() {
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
              if (crashAtKafkaCommit) {
                crashAtKafkaCommit = false;
                throw new FakeExternalSystem.Crash("the Kafka commit");
              }
              if (failKafkaCommit) {
                failKafkaCommit = false;
                throw new org.apache.kafka.common.KafkaException("the broker refused");
              }
              changelog.addAll(pending);
              pending.clear();
              written = false;
              OffsetAndMetadata o = offsets.get(IN);
              if (o != null) {
                committedOffset = o.offset();
              }
              kafkaCommits++;
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
