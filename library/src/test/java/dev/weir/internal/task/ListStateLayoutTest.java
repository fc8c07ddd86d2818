package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.ListStateDescriptor;
import dev.weir.state.StateTtlConfig;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateCache;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List state's per-element layout (design record 012) on RocksDB, through the transactional overlay
 * and the commit protocol, with an in-test changelog: a log of committed transactions, compacted to
 * the latest value per key for a restore from scratch.
 */
class ListStateLayoutTest {
  private static final String STORE = "op";
  private static final List<TaskState.StoreSpec> SPECS =
      List.of(new TaskState.StoreSpec(STORE, "app-op-changelog"));

  @TempDir Path dir;
  private StateBackend backend;
  private TaskState state;
  private OperatorStates states;
  private final Changelog changelog = new Changelog();
  private byte[] currentKey = utf8("a");
  private long now = 1_000;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The changelog partition: committed records in order, and the open transaction's (also {@link
   * SegmentedBufferTest}'s).
   */
  static final class Changelog implements RecordCollector {
    final List<byte[][]> committed = new ArrayList<>();
    final List<byte[][]> open = new ArrayList<>();

    @Override
    public void send(
        String topic, Integer partition, byte[] key, byte[] value, long ts, Headers headers) {
      throw new AssertionError("no output expected");
    }

    @Override
    public int partitionCount(String topic) {
      return 1;
    }

    @Override
    public void sendChangelog(
        String topic, int partition, byte[] key, byte[] value, long ts, LongConsumer onOffset) {
      onOffset.accept(committed.size() + open.size());
      open.add(new byte[][] {key, value});
    }

    void commitTransaction() {
      committed.addAll(open);
      open.clear();
    }

    /** What a restore from the beginning sees after compaction: the latest value per key. */
    Map<ByteBuffer, byte[]> compacted() {
      Map<ByteBuffer, byte[]> latest = new LinkedHashMap<>();
      for (byte[][] r : committed) {
        latest.remove(ByteBuffer.wrap(r[0]));
        if (r[1] != null) {
          latest.put(ByteBuffer.wrap(r[0]), r[1]);
        }
      }
      return latest;
    }
  }

  private void open() {
    backend =
        StateBackends.rocksDb(
            RocksDbSettings.of(dir).withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE));
    state = TaskState.open(backend, "0_0", 0, SPECS, cache());
    states = operatorStates();
  }

  /**
   * The write-back cache budget of the task's thread; a new one per (re)start, as a new process
   * has. Off here; {@link ListStateLayoutCachedTest} runs every test with it on.
   */
  StateCache cache() {
    return StateCache.disabled();
  }

  private OperatorStates operatorStates() {
    return new OperatorStates("op", STORE, state.store(STORE), () -> currentKey, () -> now, true);
  }

  /** One commit of the runtime's protocol: changelog in the transaction, then the local apply. */
  private int commit() {
    int sent = state.prepareCommit(changelog, now);
    changelog.commitTransaction();
    state.postCommit();
    return sent;
  }

  /** A kill -9 in the middle of a transaction: sent but never committed, overlay lost. */
  private void crash() {
    state.prepareCommit(changelog, now);
    changelog.open.clear(); // aborted by the successor's initTransactions()
    state.close();
    backend.close();
  }

  @AfterEach
  void close() {
    if (backend != null) {
      state.close();
      backend.close();
    }
  }

  private ListStateImpl<String> list() {
    return (ListStateImpl<String>) states.list(new ListStateDescriptor<>("l", Serdes.String()));
  }

  private ListStateImpl<String> ttlList(StateTtlConfig ttl) {
    ListStateDescriptor<String> d = new ListStateDescriptor<>("t", Serdes.String());
    d.enableTimeToLive(ttl);
    return (ListStateImpl<String>) states.list(d);
  }

  private long storeEntries() {
    long n = 0;
    try (KeyValueIterator it = state.store(STORE).all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private static List<String> numbered(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "e" + i).collect(Collectors.toList());
  }

  @Test
  void anAppendWritesTheNewElementAndTheHeaderWhateverTheLength() {
    open();
    ListStateImpl<String> l = list();
    l.addAll(numbered(0, 1000));
    assertThat(commit()).isEqualTo(1001);
    l.add("e1000");
    // The changelog carries the new element and the header, not the list.
    int before = changelog.committed.size();
    assertThat(commit()).isEqualTo(2);
    int bytes = 0;
    for (byte[][] r : changelog.committed.subList(before, changelog.committed.size())) {
      bytes += r[0].length + r[1].length;
    }
    assertThat(bytes).isLessThan(100);
    assertThat(l.get()).isEqualTo(numbered(0, 1001));
  }

  @Test
  void twentyThousandElementsComeBackExactlyInOrderAcrossCommitsAndARestart() {
    open();
    for (int i = 0; i < 20_000; i++) {
      currentKey = utf8(i % 2 == 0 ? "a" : "ab"); // "a" is a prefix of "ab"
      list().add("e" + i);
      if (i % 97 == 0) {
        commit();
      }
    }
    commit();
    List<String> evens = new ArrayList<>();
    List<String> odds = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      (i % 2 == 0 ? evens : odds).add("e" + i);
    }
    state.close();
    backend.close();
    open();
    currentKey = utf8("a");
    assertThat(list().get()).isEqualTo(evens);
    currentKey = utf8("ab");
    assertThat(list().get()).isEqualTo(odds);
  }

  @Test
  void updateReplacesAndClearRemovesEveryEntry() {
    open();
    ListStateImpl<String> l = list();
    l.addAll(List.of("x", "y", "z"));
    commit();
    l.update(List.of("x", "q"));
    // Only what changed: y -> q at sequence 1, z deleted, the header's next sequence.
    assertThat(commit()).isEqualTo(3);
    assertThat(l.get()).containsExactly("x", "q");
    l.add("r");
    assertThat(l.get()).containsExactly("x", "q", "r");
    l.update(List.of());
    assertThat(l.get()).isEmpty();
    l.addAll(List.of("m", "n"));
    commit();
    currentKey = utf8("b");
    l.add("other");
    currentKey = utf8("a");
    l.clear();
    commit();
    assertThat(l.get()).isEmpty();
    assertThat(storeEntries()).isEqualTo(2); // b's header and element
    currentKey = utf8("b");
    assertThat(l.get()).containsExactly("other");
  }

  @Test
  void clearingALongListLogsATombstonePerCommittedEntryOnlyAndRestoresEmpty() {
    open();
    ListStateImpl<String> l = list();
    l.addAll(numbered(0, 1000));
    currentKey = utf8("ab"); // "a" is a prefix of "ab": its list must survive a's clear
    l.add("other");
    currentKey = utf8("a");
    commit();
    l.addAll(numbered(1000, 1010)); // written and cleared within the interval: nothing to log
    int before = changelog.committed.size();
    l.clear();
    assertThat(l.get()).isEmpty();
    // 1,000 committed elements and the header: a tombstone each, nothing else.
    assertThat(commit()).isEqualTo(1001);
    List<byte[][]> logged = changelog.committed.subList(before, changelog.committed.size());
    assertThat(logged).allMatch(r -> r[1] == null);
    assertThat(logged.stream().map(r -> ByteBuffer.wrap(r[0])).distinct().count()).isEqualTo(1001);
    assertThat(changelog.compacted()).hasSize(2); // ab's header and element
    l.add("again");
    commit();
    state.close();
    backend.close();
    open();
    assertThat(list().get()).containsExactly("again");
    currentKey = utf8("ab");
    assertThat(list().get()).containsExactly("other");
    assertThat(storeEntries()).isEqualTo(4);
  }

  @Test
  void aCrashMidTransactionLosesOnlyTheUncommittedAppendsLocallyAndFromTheChangelog() {
    open();
    list().addAll(numbered(0, 500));
    commit();
    list().add("e500");
    commit();
    list().addAll(numbered(501, 520)); // in the transaction that the crash aborts
    crash();

    // Tail-only restore: the local store holds exactly the committed state.
    open();
    assertThat(list().get()).isEqualTo(numbered(0, 501));
    list().add("after");
    commit();
    state.close();
    backend.close();
    backend = null;

    // A restore from scratch: the compacted changelog rebuilds the list, in order.
    Path fresh = dir.resolve("fresh");
    backend =
        StateBackends.rocksDb(
            RocksDbSettings.of(fresh).withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE));
    TaskStateStore base = backend.open("0_0", List.of(STORE));
    try (StateWriteBatch batch = base.newWriteBatch()) {
      changelog
          .compacted()
          .forEach((k, v) -> batch.put(STORE, k.array(), ChangelogFormat.decodeValue(v)));
      base.applyBatch(batch);
    }
    state = TaskState.wrap(base, 0, SPECS, cache());
    states = operatorStates();
    List<String> expected = new ArrayList<>(numbered(0, 501));
    expected.add("after");
    assertThat(list().get()).isEqualTo(expected);
    list().add("next");
    expected.add("next");
    assertThat(list().get()).isEqualTo(expected);
  }

  @Test
  void windowContentsMergeInOrderAndPurgeLeavesNothing() throws Exception {
    open();
    ListStateDescriptor<String> d = new ListStateDescriptor<>("elements", Serdes.String());
    ListStateImpl<String> l = states.namespacedList("contents", d);
    byte[] w1 = utf8("w1");
    byte[] w2 = utf8("w2");
    states.setNamespace(w1);
    l.addAll(List.of("a", "b"));
    states.setNamespace(w2);
    l.addAll(List.of("c", "d"));
    commit();
    states.mergeNamespaces("contents", "elements", List.of(w1, w2), w1);
    states.setNamespace(w1);
    assertThat(l.get()).containsExactly("a", "b", "c", "d");
    states.setNamespace(w2);
    assertThat(l.get()).isEmpty();
    commit();
    states.setNamespace(w1);
    l.clear();
    commit();
    assertThat(storeEntries()).isZero();
  }

  @Test
  void anEvictorsRemovalsDeleteOnlyTheRemovedElements() {
    open();
    ListStateImpl<String> l = list();
    l.addAll(numbered(0, 10));
    commit();
    List<ListStateImpl.Stored<String>> stored = l.stored();
    List<String> kept = new ArrayList<>();
    stored.forEach(s -> kept.add(s.value()));
    kept.remove(0);
    kept.remove(0);
    l.retain(stored, kept);
    assertThat(commit()).isEqualTo(2); // two tombstones
    assertThat(l.get()).isEqualTo(numbered(2, 10));
    l.add("e10");
    assertThat(l.get()).isEqualTo(numbered(2, 11));
  }

  @Test
  void ttlExpiresElementsOneByOneAndCleanupRemovesAnExpiredListEntirely() {
    open();
    ListStateImpl<String> l = ttlList(StateTtlConfig.newBuilder(Duration.ofSeconds(1)).build());
    l.add("old");
    commit();
    now += 600;
    l.add("new");
    commit();
    now += 600;
    assertThat(l.get()).containsExactly("new");
    currentKey = utf8("b");
    l.add("b1");
    commit();
    now += 1000; // everything is expired now
    currentKey = utf8("a");
    assertThat(l.get()).isEmpty();
    long before = changelog.committed.size();
    states.cleanupExpired(100);
    commit();
    assertThat(storeEntries()).isZero();
    // Every removed entry left a tombstone, so a restore cannot revive it.
    assertThat(changelog.committed.size() - before).isEqualTo(5);
    assertThat(changelog.compacted()).isEmpty();
    l.add("fresh");
    assertThat(l.get()).containsExactly("fresh");
  }

  @Test
  void anAppendAfterACleanupThatStoppedAtTheHeaderStartsAFreshList() {
    open();
    ListStateImpl<String> l = ttlList(StateTtlConfig.newBuilder(Duration.ofSeconds(1)).build());
    l.addAll(List.of("x", "y", "z"));
    commit();
    now += 2000;
    states.cleanupExpired(1); // removes the header only
    commit();
    assertThat(storeEntries()).isEqualTo(3);
    l.add("fresh");
    commit();
    assertThat(l.get()).containsExactly("fresh");
    assertThat(storeEntries()).isEqualTo(2);
  }

  @Test
  void onReadAndWriteRefreshesEveryElement() {
    open();
    ListStateImpl<String> l =
        ttlList(
            StateTtlConfig.newBuilder(Duration.ofSeconds(1))
                .setUpdateType(StateTtlConfig.UpdateType.ON_READ_AND_WRITE)
                .build());
    l.addAll(List.of("x", "y"));
    commit();
    for (int i = 0; i < 3; i++) {
      now += 600;
      assertThat(l.get()).containsExactly("x", "y");
      commit();
    }
    now += 1000;
    assertThat(l.get()).isEmpty();
  }

  @Test
  void aListWrittenWholeByAnEarlierVersionIsReadAndMigratedOnFirstTouch() {
    open();
    byte[] listKey =
        StateFormat.keyPrefix(StateFormat.statePrefix(StateFormat.SCOPE_KEYED, "l"), utf8("a"));
    List<StateFormat.Element> legacy =
        List.of(
            new StateFormat.Element(Long.MIN_VALUE, utf8("p")),
            new StateFormat.Element(Long.MIN_VALUE, utf8("q")));
    state.store(STORE).put(listKey, StateFormat.list(legacy, false));
    commit();
    ListStateImpl<String> l = list();
    assertThat(l.get()).containsExactly("p", "q");
    l.add("r");
    commit();
    assertThat(l.get()).containsExactly("p", "q", "r");
    assertThat(storeEntries()).isEqualTo(4); // the header and three elements
    assertThat(StateFormat.isListHeader(state.store(STORE).get(listKey))).isTrue();
  }
}
