package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.internal.graph.Plan;
import dev.weir.internal.graph.TopologyAccess;
import dev.weir.internal.task.TaskId;
import dev.weir.internal.task.TaskState;
import dev.weir.query.HostInfo;
import dev.weir.query.KeyQueryMetadata;
import dev.weir.query.ReadOnlyKeyedState;
import dev.weir.query.StateQuery;
import dev.weir.query.StateQueryException;
import dev.weir.query.StateQueryException.Reason;
import dev.weir.state.ValueStateDescriptor;
import dev.weir.store.StateBackends;
import dev.weir.stream.KafkaSink;
import dev.weir.stream.KafkaSource;
import dev.weir.stream.StreamBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The query registry of an instance: which task answers for a key, the error for each case where
 * none does here, and read-committed isolation against the task's open transaction.
 */
class QueryableTasksTest {
  private static final ValueStateDescriptor<Long> COUNT =
      new ValueStateDescriptor<>("count", Serdes.Long());
  private static final String STORE = "counter";
  private static final int PARTITIONS = 4;

  private final Plan plan = plan();
  private final AtomicReference<RuntimeState> state = new AtomicReference<>(RuntimeState.RUNNING);
  private final QueryableTasks queries =
      new QueryableTasks(plan, sub -> PARTITIONS, () -> 0L, state::get, "me:1");
  private final Map<TaskId, TaskState> open = new HashMap<>();

  private static Plan plan() {
    StreamBuilder b = new StreamBuilder();
    b.fromSource(KafkaSource.topic("in", Serdes.String()), "in")
        .keyBy(v -> v, Serdes.String())
        .reduce((older, newer) -> newer)
        .uid(STORE)
        .sinkTo(KafkaSink.topic("out", Serdes.String()));
    return TopologyAccess.plan(b.build(), "app");
  }

  @AfterEach
  void close() {
    open.values().forEach(TaskState::close);
  }

  private int partitionOf(String key) {
    return queries.metadataForKey(STORE, key, new StringSerializer()).partition();
  }

  private TaskState task(int partition) {
    TaskId id = new TaskId(1, partition);
    TaskState s =
        TaskState.open(
            StateBackends.inMemory(),
            id.toString(),
            partition,
            List.of(new TaskState.StoreSpec(STORE, "app-counter-changelog")));
    open.put(id, s);
    return s;
  }

  /** A value state entry in the layout of StateFormat (version 1, no TTL). */
  private static void write(TaskState s, String key, long value) {
    byte[] name = "count".getBytes(StandardCharsets.UTF_8);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] storeKey =
        ByteBuffer.allocate(2 + name.length + 4 + k.length)
            .put((byte) 'k')
            .put((byte) name.length)
            .put(name)
            .putInt(k.length)
            .put(k)
            .array();
    byte[] v = ByteBuffer.allocate(2 + 8).put((byte) 1).put((byte) 0).putLong(value).array();
    s.store(STORE).put(storeKey, v);
  }

  private ReadOnlyKeyedState<String, Long> counts() {
    return queries.view(StateQuery.value(STORE, COUNT, Serdes.String()));
  }

  @Test
  void readsOnlyWhatTheTaskCommitted() {
    int p = partitionOf("alice");
    TaskState t = task(p);
    queries.publish("t1", Map.of(new TaskId(1, p), t), Set.of());
    write(t, "alice", 1);
    t.postCommit();
    write(t, "alice", 2); // the open transaction

    assertThat(counts().get("alice")).isEqualTo(1L);
    t.postCommit();
    assertThat(counts().get("alice")).isEqualTo(2L);
    write(t, "alice", 3);
    t.abort();
    assertThat(counts().get("alice")).isEqualTo(2L);
  }

  @Test
  void aRestoringTaskFailsWithItsPartition() {
    int p = partitionOf("alice");
    queries.publish("t1", Map.of(), Set.of(new TaskId(1, p)));
    assertThatThrownBy(() -> counts().get("alice"))
        .isInstanceOfSatisfying(
            StateQueryException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.RESTORING);
              assertThat(e.partition()).isEqualTo(p);
              assertThat(e.uid()).isEqualTo(STORE);
              assertThat(e.stateName()).isEqualTo("count");
            })
        .hasMessage(
            "State 'count' of operator 'counter' for partition "
                + p
                + " (task 1_"
                + p
                + ") is restoring from its changelog on this instance. Retry once the restore"
                + " ends (a restore listener, setGlobalStateRestoreListener, tells when).");
    assertThatThrownBy(() -> counts().all())
        .isInstanceOfSatisfying(
            StateQueryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RESTORING));
  }

  @Test
  void aKeyHostedElsewhereNamesTheInstanceThatRunsIt() {
    int p = partitionOf("alice");
    queries.hosts(
        new HostMetadata.Hosts(
            Map.of("other:2", Set.of(new TaskId(1, p)), "me:1", Set.of()),
            Map.of("me:1", Set.of(new TaskId(1, p)))));
    assertThat(queries.metadataForKey(STORE, "alice", new StringSerializer()))
        .isEqualTo(
            new KeyQueryMetadata(
                Optional.of(new HostInfo("other", 2)), Set.of(new HostInfo("me", 1)), p));
    assertThatThrownBy(() -> counts().get("alice"))
        .isInstanceOfSatisfying(
            StateQueryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_HOSTED))
        .hasMessage(
            "State 'count' of operator 'counter' for partition "
                + p
                + " (task 1_"
                + p
                + ") is not hosted by this instance (me:1); instance other:2 runs it. Ask"
                + " queryMetadataForKey which instance hosts the key and query that instance.");
  }

  @Test
  void duringARebalanceAnUnassignedKeyAsksForARetry() {
    state.set(RuntimeState.REBALANCING);
    assertThatThrownBy(() -> counts().get("alice"))
        .isInstanceOfSatisfying(
            StateQueryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REBALANCING));
    state.set(RuntimeState.PENDING_SHUTDOWN);
    assertThatThrownBy(() -> counts().get("alice"))
        .isInstanceOfSatisfying(
            StateQueryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_RUNNING))
        .hasMessage(
            "Cannot query state 'count' of operator 'counter': the application is"
                + " PENDING_SHUTDOWN. Queries work while it is RUNNING or REBALANCING; start it"
                + " first.");
  }

  @Test
  void aTaskClosedUnderTheQueryFailsCleanly() {
    int p = partitionOf("alice");
    TaskState t = task(p);
    queries.publish("t1", Map.of(new TaskId(1, p), t), Set.of());
    t.close();
    assertThatThrownBy(() -> counts().get("alice"))
        .isInstanceOfSatisfying(
            StateQueryException.class, e -> assertThat(e.reason()).isEqualTo(Reason.REBALANCING));
  }

  @Test
  void scansCoverThePartitionsRunHere() {
    Map<TaskId, TaskState> running = new HashMap<>();
    for (String key : List.of("alice", "bob", "carol", "dave")) {
      int p = partitionOf(key);
      TaskState t = open.containsKey(new TaskId(1, p)) ? open.get(new TaskId(1, p)) : task(p);
      running.put(new TaskId(1, p), t);
      write(t, key, key.length());
      t.postCommit();
    }
    queries.publish("t1", running, Set.of());
    assertThat(counts().all())
        .extracting(kv -> kv.key() + "=" + kv.value())
        .containsExactly("alice=5", "bob=3", "carol=5", "dave=4");
  }
}
