package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.ChangelogFormat;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateCache;
import dev.weir.store.TaskStateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The interval join's {@link SegmentedBuffer} (design record 018) on RocksDB, through the overlay,
 * with and without the write-back cache, and through the commit protocol with an in-test changelog:
 * range reads return exactly what a model holds, negative times included; a drop removes whole
 * segments of every key and nothing else; a crash loses only the open transaction, and a restore
 * from the compacted changelog does not revive dropped segments.
 */
class SegmentedBufferTest {
  private static final String STORE = "op";
  private static final String TOPIC = "app-op-changelog";
  private static final List<TaskState.StoreSpec> SPECS =
      List.of(new TaskState.StoreSpec(STORE, TOPIC));
  private static final long SEGMENT = 10;

  @TempDir Path dir;
  private StateBackend backend;
  private TaskState state;
  private SegmentedBuffer<String> buffer;
  private ListStateLayoutTest.Changelog changelog = new ListStateLayoutTest.Changelog();
  private StateCache cache;
  private byte[] currentKey;

  /** What the buffer should hold: key, then time, then records. */
  private final Map<String, TreeMap<Long, List<String>>> model = new TreeMap<>();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void open(long budget) {
    cache = budget == 0 ? StateCache.disabled() : StateCache.of(budget);
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
    state = TaskState.open(backend, "0_0", 0, SPECS, cache);
    buffer = newBuffer();
  }

  private SegmentedBuffer<String> newBuffer() {
    OperatorStates states =
        new OperatorStates("op", STORE, state.store(STORE), () -> currentKey, () -> 0L, true);
    return states.segmentedBuffer("buf", Serdes.String(), SEGMENT);
  }

  private void commit() {
    state.prepareCommit(changelog, 0);
    changelog.commitTransaction();
    state.postCommit();
  }

  /** A kill -9 in the middle of a transaction: sent but never committed, overlay lost. */
  private void crash() {
    state.prepareCommit(changelog, 0);
    changelog.open.clear(); // aborted by the successor's initTransactions()
    state.close();
    backend.close();
  }

  /** {@link #crash}, then the task state and the buffer opened again on what the crash left. */
  private void crashAndReopen() {
    crash();
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
    state = TaskState.open(backend, "0_0", 0, SPECS, cache);
    buffer = newBuffer();
    buffer.open();
  }

  @AfterEach
  void close() {
    if (backend != null) {
      state.close();
      backend.close();
    }
  }

  private void add(String key, long time, String record) {
    currentKey = utf8(key);
    buffer.add(time, record);
    model.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(time, t -> new ArrayList<>());
    model.get(key).get(time).add(record);
  }

  private List<String> read(String key, long from, long to) throws Exception {
    currentKey = utf8(key);
    List<String> out = new ArrayList<>();
    buffer.forEachBetween(from, to, (t, records) -> out.add(t + "=" + records));
    return out;
  }

  private List<String> expected(String key, long from, long to) {
    List<String> out = new ArrayList<>();
    TreeMap<Long, List<String>> times = model.getOrDefault(key, new TreeMap<>());
    if (from <= to) {
      times.subMap(from, true, to, true).forEach((t, records) -> out.add(t + "=" + records));
    }
    return out;
  }

  /** The store's entries without the batch markers (record 024). */
  private long storeEntries() {
    long n = 0;
    try (KeyValueIterator it = state.store(STORE).all()) {
      while (it.hasNext()) {
        if (!ChangelogFormat.isBatchKey(it.next().key())) {
          n++;
        }
      }
    }
    return n;
  }

  /** The store's batch markers. */
  private long markers() {
    long n = 0;
    try (KeyValueIterator it = state.store(STORE).all()) {
      while (it.hasNext()) {
        if (ChangelogFormat.isBatchKey(it.next().key())) {
          n++;
        }
      }
    }
    return n;
  }

  private void assertReadsMatchTheModel() throws Exception {
    long[][] ranges = {
      {Long.MIN_VALUE, Long.MAX_VALUE},
      {-25, 25},
      {-10, -1},
      {0, 9},
      {5, 14},
      {9, 10},
      {-1, 0},
      {33, 33},
      {34, 33},
      {Long.MIN_VALUE, -11},
      {40, Long.MAX_VALUE}
    };
    for (String key : List.of("a", "ab", "b", "none")) {
      for (long[] r : ranges) {
        assertThat(read(key, r[0], r[1]))
            .as("key %s, [%d, %d]", key, r[0], r[1])
            .isEqualTo(expected(key, r[0], r[1]));
      }
    }
  }

  @Test
  void aBatchMarkerWrittenOutsideTheCommitFailsTheCommit() {
    open(0);
    add("a", 5, "r1");
    byte[] marker = ChangelogFormat.batchKey(utf8("J-scope"), 7);
    state.store(STORE).put(marker, ChangelogFormat.batchMarkerValue());
    assertThatThrownBy(() -> state.prepareCommit(changelog, 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Store '"
                + STORE
                + "' of task 0_0 holds an uncommitted batch marker written outside the commit");
    assertThat(changelog.open).as("the marker sorts first: nothing was sent").isEmpty();
  }

  @ParameterizedTest(name = "cache budget {0} bytes")
  @ValueSource(longs = {0, 600, 32L << 20})
  void rangeReadsReturnWhatTheModelHoldsCommittedOrPendingNegativeTimesIncluded(long budget)
      throws Exception {
    open(budget);
    for (long t = -30; t < 40; t += 3) {
      add("a", t, "a" + t);
    }
    for (long t = -30; t < 40; t += 7) {
      add("ab", t, "ab" + t); // "a" is a prefix of "ab": never in a's ranges
    }
    add("b", Long.MIN_VALUE, "first");
    add("b", Long.MAX_VALUE, "last");
    commit();
    add("a", 9, "a9-again"); // appended to a committed entry, pending only
    add("a", 10, "a10"); // the first ms of the next segment
    add("a", -1, "a-1");
    assertReadsMatchTheModel();
    commit();
    assertReadsMatchTheModel();
  }

  @ParameterizedTest(name = "cache budget {0} bytes")
  @ValueSource(longs = {0, 32L << 20})
  void aDropRemovesWholeSegmentsOfEveryKeyAndNothingAfterThem(long budget) throws Exception {
    open(budget);
    for (String key : List.of("a", "b")) {
      for (long t = -20; t < 30; t += 5) { // segments -2, -1, 0, 1, 2: two entries each
        add(key, t, key + t);
      }
    }
    commit();
    assertThat(storeEntries()).isEqualTo(20);
    // 8 is in segment 0 [0, 9], which holds 9 > 8: only -2 and -1 go.
    assertThat(buffer.dropThrough(8)).isEqualTo(8);
    assertThat(buffer.dropThrough(8)).isZero();
    model.values().forEach(times -> times.headMap(0L).clear());
    assertReadsMatchTheModel();
    // 9 is segment 0's last ms.
    assertThat(buffer.dropThrough(9)).isEqualTo(4);
    model.values().forEach(times -> times.headMap(10L).clear());
    commit();
    assertThat(storeEntries()).isEqualTo(8);
    assertReadsMatchTheModel();
    // A segment once dropped stays dropped: nothing may be added to it.
    currentKey = utf8("a");
    assertThatThrownBy(() -> buffer.add(9, "late"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("segment 0, which was dropped");
    buffer.add(10, "a10-again");
    model.get("a").get(10L).add("a10-again");
    assertThat(buffer.dropThrough(Long.MAX_VALUE)).isEqualTo(8);
    model.clear();
    commit();
    assertThat(storeEntries()).isZero();
    assertReadsMatchTheModel();
  }

  @ParameterizedTest(name = "cache budget {0} bytes")
  @ValueSource(longs = {0, 32L << 20})
  void aCrashLosesTheOpenTransactionOnlyAndARestoreDoesNotReviveDroppedSegments(long budget)
      throws Exception {
    open(budget);
    for (long t = 0; t < 40; t += 4) {
      add("a", t, "a" + t);
      add("b", t + 1, "b" + (t + 1));
    }
    commit();
    assertThat(buffer.dropThrough(19)).isEqualTo(10); // segments 0 and 1
    model.values().forEach(times -> times.headMap(20L).clear());
    add("a", 20, "a20-again");
    commit();
    Map<String, TreeMap<Long, List<String>>> committed = new TreeMap<>();
    model.forEach((k, v) -> committed.put(k, new TreeMap<>(v)));
    // The open transaction: another drop and more records, then the process dies.
    assertThat(buffer.dropThrough(29)).isEqualTo(6);
    add("c", 45, "c45");
    crash();
    model.clear();
    model.putAll(committed);

    // The same directory: the local state is the committed one, nothing to replay.
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
    state = TaskState.open(backend, "0_0", 0, SPECS, cache);
    buffer = newBuffer();
    assertThat(storeEntries()).isEqualTo(10);
    assertReadsMatchTheModel();
    state.close();
    backend.close();

    // A new instance with an empty directory restores the compacted changelog: the dropped
    // segments' tombstones keep them dropped.
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir.resolve("fresh")));
    TaskStateStore base = backend.open("0_0", List.of(STORE));
    ChangelogReplay.restore(
        base, STORE, TOPIC, ChangelogReplay.compacted(changelog.committed, false), -1);
    state = TaskState.wrap(base, 0, SPECS, cache);
    buffer = newBuffer();
    assertThat(storeEntries()).isEqualTo(10);
    assertReadsMatchTheModel();
    // The restored buffer drops as the first one would have.
    assertThat(buffer.dropThrough(29)).isEqualTo(6);
    model.values().forEach(times -> times.headMap(30L).clear());
    assertReadsMatchTheModel();
  }

  @ParameterizedTest(name = "cache budget {0} bytes")
  @ValueSource(longs = {0, 32L << 20})
  void anotherSegmentLengthReKeysTheEntriesAtOpen(long budget) throws Exception {
    open(budget);
    assertThat(buffer.open()).isZero();
    for (long t = -12; t < 30; t += 3) {
      add("a", t, "a" + t);
      add("b", t, "b" + t);
    }
    commit();
    // The stored length: the buffer's bare prefix, a version-1 value holding int64 10.
    byte[] length =
        state.store(STORE).get(StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED_BATCHED, "buf"));
    assertThat(java.util.HexFormat.of().formatHex(length)).isEqualTo("0100" + "000000000000000a");
    state.close();
    backend.close();
    // The bounds changed: segments of 4 ms now.
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
    state = TaskState.open(backend, "0_0", 0, SPECS, cache);
    buffer =
        new OperatorStates("op", STORE, state.store(STORE), () -> currentKey, () -> 0L, true)
            .segmentedBuffer("buf", Serdes.String(), 4);
    assertThat(buffer.open()).isEqualTo(28);
    assertReadsMatchTheModel();
    commit();
    assertThat(buffer.open()).isZero();
    assertThat(storeEntries()).isEqualTo(1 + 28);
    // 3 is the last ms of segment 0 [0, 3]: everything below 4 goes, under the new length.
    assertThat(buffer.dropThrough(3)).isEqualTo(2 * 6); // -12 to 3, both keys
    model.values().forEach(times -> times.headMap(4L).clear());
    assertReadsMatchTheModel();
    commit();
    assertThat(storeEntries()).isEqualTo(1 + 16);
  }

  @org.junit.jupiter.api.Test
  void theStateLayerHandsOutOneBufferPerNameAndOnlyToKeyedOperators() {
    open(0);
    OperatorStates states =
        new OperatorStates("op", STORE, state.store(STORE), () -> currentKey, () -> 0L, true);
    SegmentedBuffer<String> b = states.segmentedBuffer("b", Serdes.String(), 5);
    assertThat(states.segmentedBuffer("b", Serdes.String(), 5)).isSameAs(b);
    assertThatThrownBy(() -> states.segmentedBuffer("b", Serdes.String(), 6))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("buffer 'b' with segments of 6 ms, but it has segments of 5 ms");
    OperatorStates unkeyed =
        new OperatorStates("op", STORE, state.store(STORE), () -> null, () -> 0L, false);
    assertThatThrownBy(() -> unkeyed.segmentedBuffer("b", Serdes.String(), 5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not keyed");
    currentKey = null;
    assertThatThrownBy(() -> b.add(1, "x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("used keyed buffer 'b' with no current key");
  }

  private static String hex(byte[] b) {
    return b == null ? null : java.util.HexFormat.of().formatHex(b);
  }

  /** The committed changelog records, as key hex = value hex (a batch's entries decoded). */
  private List<String> committedRecords(int from) {
    List<String> out = new ArrayList<>();
    for (byte[][] r : changelog.committed.subList(from, changelog.committed.size())) {
      if (!ChangelogFormat.isBatchKey(r[0])) {
        out.add(hex(r[0]) + "=" + hex(r[1]));
      } else if (r[1] == null) {
        out.add("batch " + hex(ChangelogFormat.batchScope(r[0])) + " deleted");
      } else {
        List<String> entries = new ArrayList<>();
        ChangelogFormat.forEachBatchEntry(
            r[0],
            r[1],
            (k, v, off, len) -> {
              entries.add(
                  new String(
                          k, 2 + 3 + 8 + 4, k.length - (2 + 3 + 8 + 4 + 8), StandardCharsets.UTF_8)
                      + "@"
                      + StateFormat.timeOf(k));
            });
        out.add("batch " + hex(ChangelogFormat.batchScope(r[0])) + " " + entries);
      }
    }
    return out;
  }

  private static String segmentScope(long segment) {
    return hex(
        StateFormat.segmentPrefix(
            StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED_BATCHED, "buf"), segment));
  }

  @ParameterizedTest(name = "cache budget {0} bytes")
  @ValueSource(longs = {0, 32L << 20})
  void theChangelogHoldsOneBatchPerSegmentAndCommitAndOneTombstonePerBatch(long budget)
      throws Exception {
    open(budget);
    buffer.open();
    add("a", 1, "a1");
    add("b", 2, "b2");
    add("a", 12, "a12");
    add("a", 1, "a1-again");
    commit();
    String length =
        hex(StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED_BATCHED, "buf"))
            + "="
            + "010100000000000000000a";
    assertThat(committedRecords(0))
        .containsExactly(
            length,
            "batch " + segmentScope(0) + " [a@1, b@2]",
            "batch " + segmentScope(1) + " [a@12]");
    assertThat(markers()).isEqualTo(2);
    int before = changelog.committed.size();
    add("b", 5, "b5");
    add("b", 2, "b2-again"); // appended to a committed entry: the batch holds its whole value
    commit();
    // A batch holds its segment's entries in the order they were first written in the interval.
    assertThat(committedRecords(before))
        .containsExactly("batch " + segmentScope(0) + " [b@5, b@2]");
    assertThat(markers()).isEqualTo(3);
    assertReadsMatchTheModel();
    before = changelog.committed.size();
    assertThat(buffer.dropThrough(9)).isEqualTo(3);
    model.values().forEach(times -> times.headMap(10L).clear());
    commit();
    // No tombstone per entry: one per batch of the segment.
    assertThat(committedRecords(before))
        .containsExactly(
            "batch " + segmentScope(0) + " deleted", "batch " + segmentScope(0) + " deleted");
    assertThat(markers()).isEqualTo(1);
    assertThat(storeEntries()).isEqualTo(1 + 1);
    assertReadsMatchTheModel();
  }

  /**
   * Runs a fixed pseudo-random history of adds, drops, commits and crashes in the middle of a
   * transaction, and checks that every restore of the changelog, from the beginning, as a tail on a
   * copy restored earlier, and from what compaction leaves (with and without tombstones), ends with
   * exactly the bytes of the local store, in batches and by bulk load.
   */
  @ParameterizedTest(name = "bulk-load threshold {0}")
  @ValueSource(longs = {-1, 0})
  void everyRestoreOfTheBatchedChangelogEndsWithExactlyTheLocalStore(long bulkThreshold)
      throws Exception {
    open(32L << 20);
    buffer.open();
    java.util.Random random = new java.util.Random(24);
    long floor = -40; // no add below it: its segment may be dropped
    int tailFrom = -1;
    for (int step = 0; step < 400; step++) {
      int op = random.nextInt(20);
      if (op < 13) {
        long time = floor + random.nextInt(45);
        currentKey = utf8("k" + random.nextInt(4));
        buffer.add(time, "r" + step);
      } else if (op < 15) {
        long limit = floor + random.nextInt(15);
        buffer.dropThrough(limit);
        floor = Math.max(floor, Math.floorDiv(limit, SEGMENT) * SEGMENT + SEGMENT);
      } else if (op < 19) {
        commit();
        if (tailFrom < 0 && step > 150) {
          tailFrom = changelog.committed.size();
        }
      } else {
        crashAndReopen();
        // The open transaction's drops are lost with it, but none of its segments is reused.
      }
    }
    commit();
    Map<String, String> local = ChangelogReplay.contents(state.store(STORE));
    assertThat(local.keySet().stream().filter(k -> k.startsWith("0042")).count())
        .as("batch markers")
        .isPositive();
    List<byte[][]> log = changelog.committed;
    assertThat(tailFrom).isPositive();

    assertFullRestoresEqual(log, local, bulkThreshold);
    // A copy restored up to a commit in the middle, then the tail.
    assertThat(
            ChangelogReplay.restoreInTwoSteps(
                dir.resolve("tail"), STORE, TOPIC, log, tailFrom, bulkThreshold))
        .isEqualTo(local);
  }

  /**
   * The uncommitted entries live in the buffer's write set (design record 026): a fixed
   * pseudo-random history of adds (often to a key and time committed before, in this buffer's life
   * or before a crash), reads, drops, commits and crashes, after each step of which every key's
   * records read exactly what a model of the committed and the open transaction's adds holds, and
   * at the end the changelog restores to exactly the local store.
   */
  @ParameterizedTest(name = "cache budget {0} bytes")
  @ValueSource(longs = {0, 32L << 20})
  void readsMergeTheWriteSetAndAddsKeepTheCommittedRecords(long budget) throws Exception {
    open(budget);
    buffer.open();
    java.util.Random random = new java.util.Random(26);
    Map<String, TreeMap<Long, List<String>>> committed = new TreeMap<>();
    long floor = -30;
    for (int step = 0; step < 600; step++) {
      int op = random.nextInt(20);
      if (op < 12) {
        add("k" + random.nextInt(3), floor + random.nextInt(35), "r" + step);
      } else if (op < 13) {
        floor = dropStep(floor, floor + random.nextInt(12));
      } else if (op < 18) {
        commitStep(committed);
      } else {
        crashStep(committed, floor);
      }
      for (String key : List.of("k0", "k1", "k2")) {
        assertThat(read(key, floor, floor + 40))
            .as("step %d, %s", step, key)
            .isEqualTo(expected(key, floor, floor + 40));
      }
    }
    commit();
    assertFullRestoresEqual(changelog.committed, ChangelogReplay.contents(state.store(STORE)), -1);
  }

  /**
   * A probe reads the store only where it may hold the probed key (design record 028): a fixed
   * pseudo-random history over more keys than a segment usually holds, so that many probes find a
   * segment without the key, with adds, drops, commits and crashes (after which the segments
   * present at open must be read again), after each step of which every key's records, and those of
   * a key never added, read exactly what the model holds; some reads were left out, and the
   * changelog restores to exactly the local store.
   */
  @ParameterizedTest(name = "cache budget {0} bytes")
  @ValueSource(longs = {0, 32L << 20})
  void probesReadTheStoreWhereverItMayHoldTheKey(long budget) throws Exception {
    open(budget);
    buffer.open();
    java.util.Random random = new java.util.Random(28);
    Map<String, TreeMap<Long, List<String>>> committed = new TreeMap<>();
    List<String> keys = List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "never");
    long skipped = 0;
    long floor = -30;
    for (int step = 0; step < 800; step++) {
      int op = random.nextInt(24);
      if (op < 14) {
        add("k" + random.nextInt(8), floor + random.nextInt(45), "r" + step);
      } else if (op < 15) {
        floor = dropStep(floor, floor + random.nextInt(12));
      } else if (op < 22) {
        commitStep(committed);
      } else {
        skipped += buffer.skippedReads();
        crashStep(committed, floor);
      }
      for (String key : keys) {
        long from = floor + random.nextInt(20);
        long to = from + random.nextInt(30);
        assertThat(read(key, from, to))
            .as("step %d, %s, [%d, %d]", step, key, from, to)
            .isEqualTo(expected(key, from, to));
      }
    }
    skipped += buffer.skippedReads();
    assertThat(skipped).as("range reads left out").isPositive();
    commit();
    assertFullRestoresEqual(changelog.committed, ChangelogReplay.contents(state.store(STORE)), -1);
  }

  /**
   * A step of the model-checked histories: drops the segments through {@code limit} from the buffer
   * and the model.
   *
   * @return the new floor: the start of the first segment still kept
   */
  private long dropStep(long floor, long limit) {
    buffer.dropThrough(limit);
    long keepFrom = Math.max(floor, Math.floorDiv(limit, SEGMENT) * SEGMENT + SEGMENT);
    model.values().forEach(times -> times.headMap(keepFrom).clear());
    return keepFrom;
  }

  /** A step of the model-checked histories: commits, and the model becomes the committed state. */
  private void commitStep(Map<String, TreeMap<Long, List<String>>> committed) throws Exception {
    commit();
    committed.clear();
    model.forEach((k, times) -> committed.put(k, copy(times)));
  }

  /**
   * A step of the model-checked histories: a crash loses the open transaction, so the model goes
   * back to the committed state; a drop of the lost transaction is lost too, but its segments are
   * never added to again, so the model keeps only what lies at or above {@code floor}.
   */
  private void crashStep(Map<String, TreeMap<Long, List<String>>> committed, long floor)
      throws Exception {
    crashAndReopen();
    model.clear();
    committed.forEach((k, times) -> model.put(k, copy(times)));
    model.values().forEach(times -> times.headMap(floor).clear());
  }

  private static TreeMap<Long, List<String>> copy(TreeMap<Long, List<String>> times) {
    TreeMap<Long, List<String>> c = new TreeMap<>();
    times.forEach((t, records) -> c.put(t, new ArrayList<>(records)));
    return c;
  }

  /**
   * State of the layout before record 024 (the buffer under {@code 'j'}, a changelog record per
   * entry): the first open moves it to the batched keys; the old keys' tombstones and the new
   * batches reach the changelog, and every restore stays exact, also after compaction.
   */
  @ParameterizedTest(name = "bulk-load threshold {0}")
  @ValueSource(longs = {-1, 0})
  void theLayoutBeforeRecord024MovesToBatchedKeysAndRestoresStayExact(long bulkThreshold)
      throws Exception {
    open(0);
    // As Weir wrote it before: entries and the segment length under 'j', logged one by one.
    byte[] old = StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED, "buf");
    RecordListSerde<String> serde = new RecordListSerde<>(Serdes.String());
    for (String key : List.of("a", "b")) {
      for (long t = 0; t < 30; t += 7) {
        byte[] k =
            StateFormat.timedKey(StateFormat.segmentKeyPrefix(old, t / SEGMENT, utf8(key)), t);
        byte[] element = serde.serializeRecord("t", key + t);
        state.store(STORE).put(k, StateFormat.value(RecordListSerde.appended(null, element)));
        model.computeIfAbsent(key, x -> new TreeMap<>()).put(t, new ArrayList<>(List.of(key + t)));
      }
    }
    state
        .store(STORE)
        .put(old, StateFormat.value(java.nio.ByteBuffer.allocate(8).putLong(SEGMENT).array()));
    commit();
    int before = changelog.committed.size();
    assertThat(before).isEqualTo(2 * 5 + 1);

    buffer.open();
    assertThat(buffer.movedToBatches()).isEqualTo(10);
    assertReadsMatchTheModel();
    commit();
    List<String> moved = committedRecords(before);
    assertThat(moved.stream().filter(r -> r.startsWith(hex(old)) && r.endsWith("=null")).count())
        .as("tombstones of the old keys")
        .isEqualTo(11);
    assertThat(moved.stream().filter(r -> r.startsWith("batch ")).count()).isEqualTo(3);
    assertThat(buffer.dropThrough(9)).isEqualTo(4);
    model.values().forEach(times -> times.headMap(10L).clear());
    add("a", 25, "a25-again");
    commit();
    assertReadsMatchTheModel();

    Map<String, String> local = ChangelogReplay.contents(state.store(STORE));
    List<byte[][]> log = changelog.committed;
    assertFullRestoresEqual(log, local, bulkThreshold);
  }

  /**
   * Restores {@code log} as it is and in both compacted forms (with and without the tombstones)
   * into fresh stores, each of which must then hold exactly {@code local}.
   */
  private void assertFullRestoresEqual(
      List<byte[][]> log, Map<String, String> local, long bulkThreshold) throws Exception {
    int n = 0;
    for (List<byte[][]> l :
        List.of(log, ChangelogReplay.compacted(log, false), ChangelogReplay.compacted(log, true))) {
      StateBackend other = StateBackends.rocksDb(RocksDbSettings.of(dir.resolve("r" + n++)));
      try (TaskStateStore base = other.open("0_0", List.of(STORE))) {
        ChangelogReplay.restore(base, STORE, TOPIC, l, bulkThreshold);
        assertThat(ChangelogReplay.contents(base.store(STORE))).isEqualTo(local);
      } finally {
        other.close();
      }
    }
  }

  @org.junit.jupiter.api.Test
  void buffersWithNamesOfOtherLengthsGetBatchesOfTheirOwnInOneCommit() throws Exception {
    open(0);
    OperatorStates states =
        new OperatorStates("op", STORE, state.store(STORE), () -> currentKey, () -> 0L, true);
    SegmentedBuffer<String> longer = states.segmentedBuffer("longer", Serdes.String(), SEGMENT);
    SegmentedBuffer<String> shorter = states.segmentedBuffer("b", Serdes.String(), SEGMENT);
    currentKey = utf8("a");
    longer.add(1, "x");
    shorter.add(2, "y");
    longer.add(3, "z");
    shorter.add(13, "w");
    commit();
    assertThat(
            changelog.committed.stream()
                .filter(r -> ChangelogFormat.isBatchKey(r[0]))
                .map(r -> hex(ChangelogFormat.batchScope(r[0])))
                .toList())
        .containsExactly( // the buffers in the order they were created, segments ascending
            hex(StateFormat.segmentPrefix(StateFormat.statePrefix((byte) 'J', "longer"), 0)),
            hex(StateFormat.segmentPrefix(StateFormat.statePrefix((byte) 'J', "b"), 0)),
            hex(StateFormat.segmentPrefix(StateFormat.statePrefix((byte) 'J', "b"), 1)));
    List<String> seen = new ArrayList<>();
    longer.forEachBetween(0, 20, (t, records) -> seen.add(t + "=" + records));
    shorter.forEachBetween(0, 20, (t, records) -> seen.add(t + "=" + records));
    assertThat(seen).containsExactly("1=[x]", "3=[z]", "2=[y]", "13=[w]");
  }
}
