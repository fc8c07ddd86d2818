package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.ListStateDescriptor;
import dev.weir.state.StateTtlConfig;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateCache;
import dev.weir.store.TaskStateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Namespaced lists (a window's contents) log their elements in batch records, one per list and
 * commit, and a clear as one tombstone per batch (design record 032), on RocksDB through the
 * overlay and the commit protocol with an in-test changelog: what each commit sends, and that every
 * restore (from the beginning, as a tail on a copy restored earlier, from the log compacted to the
 * latest record per key with and without its tombstones, in batches and by bulk load) ends with
 * exactly the local store's bytes after appends across commits, clears, evictions, partial and
 * whole TTL expiry, merges and crashes in the middle of a transaction.
 */
class BatchedListChangelogTest {
  private static final String STORE = "op";
  private static final String TOPIC = "app-op-changelog";
  private static final List<TaskState.StoreSpec> SPECS =
      List.of(new TaskState.StoreSpec(STORE, TOPIC));

  @TempDir Path dir;
  private StateBackend backend;
  private TaskState state;
  private OperatorStates states;
  private ListStateImpl<String> list;
  private final ListStateLayoutTest.Changelog changelog = new ListStateLayoutTest.Changelog();
  private StateCache cache = StateCache.disabled();
  private StateTtlConfig ttl;
  private byte[] currentKey = utf8("a");
  private long now = 1_000;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void open(long cacheBudget) {
    cache = cacheBudget == 0 ? StateCache.disabled() : StateCache.of(cacheBudget);
    reopen();
  }

  private void reopen() {
    backend =
        StateBackends.rocksDb(
            wholeBatches
                ? RocksDbSettings.of(dir).withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE)
                : RocksDbSettings.of(dir));
    state = TaskState.open(backend, "0_0", 0, SPECS, cache);
    bindStates();
  }

  private void bindStates() {
    states =
        new OperatorStates("op", STORE, state.store(STORE), () -> currentKey, () -> now, true)
            .appendingListsTo(appendsOutside ? state.listAppends(STORE) : null);
    ListStateDescriptor<String> d = new ListStateDescriptor<>("elements", Serdes.String());
    if (ttl != null) {
      d.enableTimeToLive(ttl);
    }
    list = states.namespacedList("contents", d);
  }

  /**
   * Replaces the task's state with a fresh store restored from the committed log (the same
   * changelog goes on), in batches or by bulk load.
   */
  private void switchToRestoredCopy(long bulkThreshold) {
    state.close();
    backend.close();
    backend =
        StateBackends.rocksDb(
            RocksDbSettings.of(dir.resolve("restored" + System.nanoTime()))
                .withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE));
    TaskStateStore base = backend.open("0_0", List.of(STORE));
    ChangelogReplay.restore(base, STORE, TOPIC, changelog.committed, bulkThreshold);
    state = TaskState.wrap(base, 0, SPECS, cache);
    bindStates();
  }

  /**
   * Whether window lists keep their appends outside the overlay until the commit, as the runtime's
   * do (design record 042; only where the backend keeps their batches whole).
   */
  private boolean appendsOutside = true;

  /** Whether the backend keeps window lists' batches whole (design record 039). */
  private boolean wholeBatches = true;

  private int commit() {
    int sent = state.prepareCommit(changelog, now);
    changelog.commitTransaction();
    state.postCommit();
    return sent;
  }

  /** A kill -9 in the middle of a transaction: sent but never committed, overlay lost. */
  private void crashAndReopen() {
    state.prepareCommit(changelog, now);
    changelog.open.clear(); // aborted by the successor's initTransactions()
    state.close();
    backend.close();
    reopen();
  }

  @AfterEach
  void close() {
    if (backend != null) {
      state.close();
      backend.close();
    }
  }

  private void window(String key, String window) {
    currentKey = utf8(key);
    states.setNamespace(utf8(window));
  }

  private static List<String> numbered(String p, int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(p + i);
    }
    return out;
  }

  private static String hex(byte[] b) {
    return b == null ? null : HexFormat.of().formatHex(b);
  }

  /**
   * The list as a window function without an evictor reads it (design record 040), twice, both
   * passes equal; null when the list declined the lazy read.
   */
  private List<String> lazy() {
    var d = Serdes.String().deserializer();
    LazyElements<String> l =
        list.lazyElements((t, b, o, n) -> d.deserialize(t, Arrays.copyOfRange(b, o, o + n)));
    if (l == null) {
      return null;
    }
    List<String> first = new ArrayList<>();
    l.forEach(first::add);
    List<String> second = new ArrayList<>();
    l.forEach(second::add);
    assertThat(second).isEqualTo(first);
    assertThat(l.size()).isEqualTo(first.size());
    return first;
  }

  /** The records of committed transactions from {@code from} on, described. */
  private List<String> committed(int from) {
    List<String> out = new ArrayList<>();
    for (byte[][] r : changelog.committed.subList(from, changelog.committed.size())) {
      if (!ChangelogFormat.isBatchKey(r[0])) {
        boolean header = StateFormat.batchedEntryScopeLength(r[0]) < 0;
        out.add((header ? "plain " : "element ") + (r[1] == null ? "tombstone" : "put"));
      } else if (r[1] == null) {
        out.add("batch tombstone");
      } else {
        int[] puts = {0};
        int[] deletes = {0};
        ChangelogFormat.forEachBatchEntry(
            r[0], r[1], (k, v, o, l) -> (v == null ? deletes : puts)[0]++);
        out.add("batch " + puts[0] + (deletes[0] > 0 ? " -" + deletes[0] : ""));
      }
    }
    return out;
  }

  @Test
  void appendsAcrossCommitsGoOutAsOneBatchPerListAndCommitAndAClearAsOneTombstonePerBatch() {
    open(0);
    window("a", "w1");
    list.addAll(numbered("x", 0, 1000));
    window("a", "w2");
    list.add("y");
    int before = changelog.committed.size();
    assertThat(commit()).isEqualTo(4);
    // Plain records in key order (w1's header, w2's header), then a batch per list.
    assertThat(committed(before))
        .containsExactly("plain put", "plain put", "batch 1000", "batch 1");
    window("a", "w1");
    list.add("x1000");
    before = changelog.committed.size();
    assertThat(commit()).isEqualTo(2);
    assertThat(committed(before)).containsExactly("plain put", "batch 1");
    assertThat(list.get()).isEqualTo(numbered("x", 0, 1001));

    list.clear();
    list.add("again"); // a fresh list in the same commit: its batch follows the tombstones
    before = changelog.committed.size();
    assertThat(commit()).isEqualTo(5);
    // The clear's tombstones (the header's too, which the commit sends before its new value),
    // none per element.
    assertThat(committed(before))
        .containsExactly(
            "batch tombstone", "batch tombstone", "plain tombstone", "plain put", "batch 1");
    assertThat(list.get()).containsExactly("again");
    window("a", "w2");
    assertThat(list.get()).containsExactly("y");
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
  }

  @Test
  void anEvictorsRemovalsLogTheListAgainInOneBatch() {
    open(0);
    window("a", "w");
    list.addAll(numbered("e", 0, 10));
    commit();
    list.add("e10");
    commit();
    List<ListStateImpl.Stored<String>> stored = list.stored();
    List<String> kept = new ArrayList<>();
    stored.forEach(s -> kept.add(s.value()));
    kept.remove(10);
    kept.remove(1);
    kept.remove(0);
    list.retain(stored, kept);
    int before = changelog.committed.size();
    assertThat(commit()).isEqualTo(5);
    // The list logged again: its two batches' tombstones, its header's (sent before its value
    // again), and one batch of the eight kept elements.
    assertThat(committed(before))
        .containsExactly(
            "batch tombstone", "batch tombstone", "plain tombstone", "plain put", "batch 8");
    assertThat(list.get()).isEqualTo(numbered("e", 2, 10));
    list.add("e11");
    list.retain(list.stored(), List.of()); // everything: a clear
    before = changelog.committed.size();
    commit();
    assertThat(committed(before)).containsExactly("batch tombstone", "plain tombstone");
    assertThat(ChangelogReplay.contents(state.store(STORE))).isEmpty();
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
  }

  /**
   * Design record 037: a window's committed elements are read once, by the firing's scan, so the
   * cache keeps no copy of them (only the list's header); the list reads, evicts, clears and
   * restores exactly as before.
   */
  @Test
  void committedListElementsTakeNoCacheSpaceAndTheListStillReadsAndRestoresExactly() {
    open(32L << 20);
    window("a", "w");
    list.addAll(numbered("element-with-a-long-enough-payload-", 0, 1000));
    commit();
    // The header (a few dozen bytes with its key) and the batch's marker; 1,000 elements of over
    // 50 bytes each would be over 50,000 bytes.
    assertThat(cache.usedBytes()).isLessThan(1_000);
    assertThat(list.get()).isEqualTo(numbered("element-with-a-long-enough-payload-", 0, 1000));
    list.add("x");
    commit();
    assertThat(cache.usedBytes()).isLessThan(1_000);
    // An evictor's rewrite takes the kept elements' bytes from the scan it was given.
    List<ListStateImpl.Stored<String>> stored = list.stored();
    List<String> kept = new ArrayList<>();
    stored.forEach(s -> kept.add(s.value()));
    kept.subList(0, 990).clear();
    list.retain(stored, kept);
    commit();
    List<String> expected = numbered("element-with-a-long-enough-payload-", 990, 1000);
    expected.add("x");
    assertThat(list.get()).isEqualTo(expected);
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
    list.clear();
    commit();
    assertThat(list.get()).isEmpty();
    assertThat(ChangelogReplay.contents(state.store(STORE))).isEmpty();
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
  }

  /**
   * Partial expiry rewrites the list (design record 039): most of its elements live inside its
   * batches' values, where a pending delete of one would not hide it, so the cleanup logs the list
   * again without them, as an evictor's removals are.
   */
  @Test
  void ttlExpiresSomeElementsByRewritingTheListAndAnExpiredListWithOneTombstonePerBatch() {
    ttl = StateTtlConfig.newBuilder(Duration.ofSeconds(1)).build();
    open(0);
    window("a", "w");
    list.add("old");
    commit();
    now += 600;
    list.add("new");
    commit();
    now += 600; // "old" expired, the list (its header) not
    assertThat(list.get()).containsExactly("new");
    int before = changelog.committed.size();
    states.cleanupExpired(100);
    commit();
    assertThat(committed(before))
        .containsExactly(
            "batch tombstone", "batch tombstone", "plain tombstone", "plain put", "batch 1");
    assertThat(list.get()).containsExactly("new");
    Map<String, String> partly = ChangelogReplay.contents(state.store(STORE));
    assertEveryRestoreEqualsTheLocalStore(-1, -1);

    now += 1000; // everything expired
    before = changelog.committed.size();
    states.cleanupExpired(100);
    commit();
    assertThat(committed(before)).containsExactly("batch tombstone", "plain tombstone");
    assertThat(ChangelogReplay.contents(state.store(STORE))).isEmpty();
    assertThat(partly).isNotEmpty();
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
  }

  /**
   * A fixed pseudo-random history of appends to several windows of several keys, purges, evictions,
   * merges, commits, crashes in the middle of a transaction and (with TTL) time passing and
   * background cleanup: after each step the lists read what a model of the committed state and the
   * open transaction holds (without TTL), and at the end every restore equals the local store.
   */
  @ParameterizedTest(name = "ttl {0}, appends outside the store {1}")
  @CsvSource({"false, true", "false, false", "true, true"})
  void everyRestoreAfterARandomHistoryEndsWithExactlyTheLocalStore(boolean withTtl, boolean outside)
      throws Exception {
    appendsOutside = outside;
    ttl = withTtl ? StateTtlConfig.newBuilder(Duration.ofMillis(500)).build() : null;
    open(withTtl ? 0 : 32L << 20);
    Random random = new Random(32);
    Map<String, List<String>> model = new TreeMap<>();
    Map<String, List<String>> committedModel = new TreeMap<>();
    int tailFrom = -1;
    for (int step = 0; step < 600; step++) {
      String key = "k" + random.nextInt(3);
      String w = "w" + random.nextInt(4);
      window(key, w);
      String id = key + "/" + w;
      int op = random.nextInt(40);
      if (op < 24) {
        int n = 1 + random.nextInt(random.nextInt(8) == 0 ? 40 : 3);
        List<String> values = numbered("s" + step + "-", 0, n);
        if (n == 1) {
          list.add(values.get(0));
        } else {
          list.addAll(values);
        }
        model.computeIfAbsent(id, x -> new ArrayList<>()).addAll(values);
      } else if (op < 27) {
        list.clear();
        model.remove(id);
      } else if (op < 29) {
        List<ListStateImpl.Stored<String>> stored = list.stored();
        List<String> kept = new ArrayList<>();
        for (ListStateImpl.Stored<String> s : stored) {
          if (random.nextInt(3) != 0) {
            kept.add(s.value());
          }
        }
        list.retain(stored, kept);
        if (kept.isEmpty()) {
          model.remove(id);
        } else {
          model.put(id, new ArrayList<>(kept));
        }
      } else if (op < 30) {
        String other = "w" + random.nextInt(4);
        states.mergeNamespaces("contents", "elements", List.of(utf8(other), utf8(w)), utf8(w));
        List<String> merged = new ArrayList<>(model.getOrDefault(id, List.of()));
        if (!other.equals(w)) {
          merged.addAll(model.getOrDefault(key + "/" + other, List.of()));
          model.remove(key + "/" + other);
        }
        if (merged.isEmpty()) {
          model.remove(id);
        } else {
          model.put(id, merged);
        }
      } else if (op < 37) {
        commit();
        committedModel = copy(model);
        if (tailFrom < 0 && step > 250) {
          tailFrom = changelog.committed.size();
        }
        if (withTtl) {
          now += random.nextInt(200);
          if (random.nextBoolean()) {
            states.cleanupExpired(1 + random.nextInt(30));
          }
        }
      } else if (op < 38) {
        crashAndReopen();
        model = copy(committedModel);
      } else {
        window(key, w);
        if (!withTtl) {
          assertThat(list.get())
              .as("step %d, %s", step, id)
              .isEqualTo(model.getOrDefault(id, List.of()));
          assertThat(lazy())
              .as("lazily, step %d, %s", step, id)
              .isEqualTo(model.getOrDefault(id, List.of()));
        }
      }
      if (!withTtl && step % 25 == 0) {
        for (String k : List.of("k0", "k1", "k2")) {
          for (String ww : List.of("w0", "w1", "w2", "w3")) {
            window(k, ww);
            assertThat(list.get())
                .as("step %d, %s/%s", step, k, ww)
                .isEqualTo(model.getOrDefault(k + "/" + ww, List.of()));
            assertThat(lazy())
                .as("lazily, step %d, %s/%s", step, k, ww)
                .isEqualTo(model.getOrDefault(k + "/" + ww, List.of()));
          }
        }
      }
      if (withTtl && op >= 38) {
        assertThat(lazy()).as("with TTL the general read applies").isNull();
      }
    }
    commit();
    assertThat(tailFrom).isPositive();
    long deletes =
        changelog.committed.stream()
            .filter(r -> ChangelogFormat.isBatchKey(r[0]) && r[1] != null && r[1][0] == 3)
            .count();
    // Partial TTL expiry rewrites the list instead (design record 039); the restore of a
    // version-3 batch is covered by the tests of the stored layout.
    assertThat(deletes).as("batches with deletes").isZero();
    for (long bulk : new long[] {-1, 0}) {
      assertEveryRestoreEqualsTheLocalStore(bulk, tailFrom);
    }
  }

  /**
   * A window's contents written by the per-element layout (scope {@code 'n'}, one changelog record
   * per element): opening the state moves them to the batched scope; the old keys' tombstones and
   * the new batches reach the changelog, and every restore stays exact, also after compaction.
   */
  @Test
  void thePerElementLayoutMovesToBatchesAndRestoresStayExact() {
    open(0);
    byte[] old =
        StateFormat.keyPrefix(
            StateFormat.keyPrefix(
                StateFormat.statePrefix(StateFormat.SCOPE_NAMESPACED, "contents:elements"),
                utf8("a")),
            utf8("w"));
    for (int i = 0; i < 5; i++) {
      state.store(STORE).put(StateFormat.elementKey(old, i), StateFormat.value(utf8("old" + i)));
    }
    state.store(STORE).put(old, StateFormat.listHeader(5, Long.MIN_VALUE));
    commit();
    int before = changelog.committed.size();
    assertThat(before).isEqualTo(6);

    state.close();
    backend.close();
    reopen();
    window("a", "w");
    assertThat(list.get()).isEqualTo(numbered("old", 0, 5));
    list.add("new");
    commit();
    assertThat(committed(before))
        .containsExactly( // 'N' sorts before 'n'
            "plain put",
            "plain tombstone",
            "plain tombstone",
            "plain tombstone",
            "plain tombstone",
            "plain tombstone",
            "plain tombstone",
            // The moved elements, written through the store, and the append since, kept outside
            // it until the commit (design record 042): two batches of the list, in this order.
            "batch 5",
            "batch 1");
    List<String> expected = new ArrayList<>(numbered("old", 0, 5));
    expected.add("new");
    assertThat(list.get()).isEqualTo(expected);
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
    assertEveryRestoreEqualsTheLocalStore(0, -1);
  }

  /**
   * Record 042: a list's appends since the last commit stay out of the store until the commit,
   * which sends the list's header and its elements in batches split where they pass {@link
   * TaskState#MAX_BATCH_BYTES}, as elements written through the store went out; an abort drops them
   * with the rest of the transaction.
   */
  @Test
  void appendsWaitOutsideTheStoreUntilTheCommitAndAnAbortDropsThem() {
    open(32L << 20);
    window("a", "w");
    list.add("x0");
    commit();
    assertThat(state.uncommittedBytes()).isZero();
    int before = changelog.committed.size();
    List<String> expected = new ArrayList<>(List.of("x0"));
    String big = "b".repeat(1_000);
    for (int i = 0; i < 300; i++) {
      list.add(big + i);
      expected.add(big + i);
    }
    byte[] listKey = list.currentKeyPrefix();
    assertThat(ChangelogReplay.contents(state.store(STORE)))
        .as("the store's view: the committed header, the committed batch, nothing new")
        .hasSize(2)
        .containsEntry(hex(listKey), hex(StateFormat.listHeader(1, Long.MIN_VALUE)));
    assertThat(state.uncommittedBytes()).isGreaterThan(300 * 1_000L);
    assertThat(list.get()).isEqualTo(expected);
    assertThat(lazy()).isEqualTo(expected);

    commit();
    // Each element's entry takes 1 + 8 + 2 + 2 + 1,000 + its number's digits bytes: 256 KiB hold
    // the first 258 after the version byte (10 + 90 * 2 + 158 * 3 digits).
    assertThat(committed(before)).containsExactly("plain put", "batch 258", "batch 42");
    for (byte[][] r : changelog.committed.subList(before, changelog.committed.size())) {
      assertThat(r[1].length).isLessThanOrEqualTo(TaskState.MAX_BATCH_BYTES);
    }
    assertThat(ChangelogReplay.contents(state.store(STORE)))
        .containsEntry(hex(listKey), hex(StateFormat.listHeader(301, Long.MIN_VALUE)));
    assertThat(state.uncommittedBytes()).isZero();

    list.add("dropped");
    window("b", "w");
    list.add("dropped too");
    state.abort();
    assertThat(state.uncommittedBytes()).isZero();
    assertThat(list.get()).isEmpty();
    window("a", "w");
    assertThat(list.get()).isEqualTo(expected);
    list.add("kept");
    expected.add("kept");
    commit();
    assertThat(committed(before + 3)).containsExactly("plain put", "batch 1");
    assertThat(list.get()).isEqualTo(expected);
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
    assertEveryRestoreEqualsTheLocalStore(0, -1);
    state.close();
    backend.close();
    reopen();
    window("a", "w");
    assertThat(list.get()).isEqualTo(expected);
    assertThat(lazy()).isEqualTo(expected);
  }

  /** The store's entries that are list elements of their own (not inside a batch's value). */
  private long elementEntries() {
    return ChangelogReplay.contents(state.store(STORE)).keySet().stream()
        .filter(k -> StateFormat.isListElement(HexFormat.of().parseHex(k)))
        .count();
  }

  /**
   * Record 039: the commit tells the store before it writes its first whole batch, so that only a
   * store holding one is marked for older releases; commits without window-list elements never do.
   */
  @Test
  void aCommitTellsTheStoreBeforeItsFirstWholeBatchOnly() {
    cache = StateCache.of(32 << 20);
    backend =
        StateBackends.rocksDb(
            RocksDbSettings.of(dir).withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE));
    TaskStateStore rocks = backend.open("0_0", List.of(STORE));
    List<Integer> notes = new ArrayList<>();
    TaskStateStore counting =
        (TaskStateStore)
            java.lang.reflect.Proxy.newProxyInstance(
                TaskStateStore.class.getClassLoader(),
                new Class<?>[] {TaskStateStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("noteBatchStoredWhole")) {
                    notes.add(ChangelogReplay.contents(rocks.store(STORE)).size());
                  }
                  try {
                    return method.invoke(rocks, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    state = TaskState.wrap(counting, 0, SPECS, cache);
    bindStates();
    state.store(STORE).put(new byte[] {'k', 1}, new byte[] {1});
    commit();
    assertThat(notes).as("a plain entry").isEmpty();
    window("a", "w");
    list.add("x");
    commit();
    assertThat(notes).as("once, before the batch was applied").containsExactly(1);
    assertThat(list.get()).containsExactly("x");
  }

  /**
   * Design record 039: the store keeps each committed batch as one entry, its marker holding the
   * batch exactly as the changelog carries it, and no entry per element; reads merge the batches
   * with the elements written since the last commit; an evictor's rewrite, a crash, a restore in
   * both modes and a clear after it keep that layout exact.
   */
  @Test
  void theStoreHoldsEachBatchWholeUnderItsMarkerAndReadsMergeItWithPendingElements() {
    open(32 << 20);
    window("a", "w");
    list.addAll(numbered("x", 0, 1000));
    commit();
    list.addAll(numbered("x", 1000, 1010));
    commit();
    Map<String, String> local = ChangelogReplay.contents(state.store(STORE));
    assertThat(local).hasSize(3); // the header and two markers
    assertThat(elementEntries()).isZero();
    int batches = 0;
    for (byte[][] r : changelog.committed) {
      if (ChangelogFormat.isBatchKey(r[0]) && r[1] != null) {
        assertThat(local.get(hex(r[0]))).isEqualTo(hex(r[1]));
        batches++;
      }
    }
    assertThat(batches).isEqualTo(2);
    assertThat(list.get()).isEqualTo(numbered("x", 0, 1010));

    list.add("pending");
    List<String> withPending = new ArrayList<>(numbered("x", 0, 1010));
    withPending.add("pending");
    assertThat(list.get()).isEqualTo(withPending);
    assertThat(lazy()).isEqualTo(withPending);
    window("b", "w"); // another list: none of a's
    assertThat(list.get()).isEmpty();
    assertThat(lazy()).isEmpty();
    crashAndReopen();
    window("a", "w");
    assertThat(list.get()).isEqualTo(numbered("x", 0, 1010));
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
    assertEveryRestoreEqualsTheLocalStore(0, -1);

    // An evictor drops the first two: the list is logged again as one batch.
    List<ListStateImpl.Stored<String>> stored = list.stored();
    List<String> kept = new ArrayList<>();
    stored.forEach(e -> kept.add(e.value()));
    kept.subList(0, 2).clear();
    list.retain(stored, kept);
    int before = changelog.committed.size();
    commit();
    assertThat(committed(before))
        .containsExactly(
            "batch tombstone", "batch tombstone", "plain tombstone", "plain put", "batch 1008");
    assertThat(ChangelogReplay.contents(state.store(STORE))).hasSize(2);
    assertThat(list.get()).isEqualTo(numbered("x", 2, 1010));
    assertThat(lazy()).isEqualTo(numbered("x", 2, 1010));
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
    assertEveryRestoreEqualsTheLocalStore(0, -1);

    for (long bulk : new long[] {-1, 0}) {
      switchToRestoredCopy(bulk);
      window("a", "w");
      assertThat(elementEntries()).as("bulk %d", bulk).isZero();
      assertThat(ChangelogReplay.contents(state.store(STORE))).hasSize(2);
      assertThat(list.get()).as("bulk %d", bulk).isEqualTo(numbered("x", 2, 1010));
      assertThat(lazy()).as("bulk %d", bulk).isEqualTo(numbered("x", 2, 1010));
    }
    list.clear(); // after a restore: its markers go, and nothing else is left
    commit();
    assertThat(ChangelogReplay.contents(state.store(STORE))).isEmpty();
    assertThat(list.get()).isEmpty();
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
  }

  /**
   * A store written before design record 039 (elements as entries, empty markers, a version-3
   * batch's delete applied to its entry) reads correctly after the upgrade and goes on in the new
   * layout; a restore of the same log into the new layout keeps the version-3 batch whole, whose
   * delete removes an element of an earlier batch when read.
   */
  @Test
  void anOlderLayoutReadsAndGoesOnAndVersionThreeDeletesApplyInsideBatches() {
    wholeBatches = false;
    open(0);
    window("a", "w");
    list.addAll(numbered("x", 0, 5));
    commit();
    list.addAll(numbered("x", 5, 8));
    commit();
    // One element deleted alone while its list lives (what the TTL cleanup of an older release
    // did): a version-3 batch.
    byte[] x1 = null;
    try (var it = state.store(STORE).all()) {
      while (it.hasNext()) {
        byte[] k = it.next().key();
        if (StateFormat.isListElement(k) && x1 == null) {
          x1 = k;
        }
      }
    }
    assertThat(x1).isNotNull();
    state.store(STORE).delete(StateFormat.elementKey(Arrays.copyOf(x1, x1.length - 8), 1));
    int before = changelog.committed.size();
    commit();
    assertThat(committed(before)).containsExactly("batch 0 -1");
    assertThat(elementEntries()).isEqualTo(7);
    List<String> expected = new ArrayList<>(numbered("x", 0, 8));
    expected.remove("x1");
    assertThat(list.get()).isEqualTo(expected);
    // Elements as entries of their own, behind empty markers: one ascending run, read lazily.
    assertThat(lazy()).isEqualTo(expected);

    // The upgrade.
    state.close();
    backend.close();
    wholeBatches = true;
    reopen();
    window("a", "w");
    assertThat(list.get()).isEqualTo(expected);
    list.add("new");
    commit();
    expected.add("new");
    assertThat(list.get()).isEqualTo(expected);
    // The new batch's element comes after the older entries, but is read before them: the lazy
    // read, which keeps the stored order, declines.
    assertThat(lazy()).isNull();
    assertThat(elementEntries()).isEqualTo(7); // the older entries stay until the list goes
    Map<String, String> mixed = ChangelogReplay.contents(state.store(STORE));

    for (long bulk : new long[] {-1, 0}) {
      switchToRestoredCopy(bulk);
      window("a", "w");
      assertThat(elementEntries()).isZero();
      assertThat(list.get()).as("bulk %d", bulk).isEqualTo(expected);
      // The version-3 batch is whole here: its delete needs the general read.
      assertThat(lazy()).as("bulk %d", bulk).isNull();
    }
    list.add("after restore");
    commit();
    expected.add("after restore");
    assertThat(list.get()).isEqualTo(expected);
    list.clear();
    commit();
    assertThat(ChangelogReplay.contents(state.store(STORE))).isEmpty();
    assertThat(mixed).isNotEmpty();
  }

  /**
   * Refresh on read rewrites the whole list (design record 039): the refreshed elements are not
   * written one by one over the batches that hold them, which would be read with their old clocks.
   */
  @Test
  void aRefreshOnReadRewritesTheListAndItsElementsLiveOn() {
    ttl =
        StateTtlConfig.newBuilder(Duration.ofSeconds(1))
            .setUpdateType(StateTtlConfig.UpdateType.ON_READ_AND_WRITE)
            .build();
    open(0);
    window("a", "w");
    list.add("e");
    commit();
    now += 600;
    assertThat(list.get()).containsExactly("e"); // refreshed
    int before = changelog.committed.size();
    commit();
    assertThat(committed(before))
        .containsExactly("batch tombstone", "plain tombstone", "plain put", "batch 1");
    now += 600; // 1,200 ms after the add, 600 after the refresh
    assertThat(list.get()).containsExactly("e");
    commit();
    assertEveryRestoreEqualsTheLocalStore(-1, -1);
    assertEveryRestoreEqualsTheLocalStore(0, -1);
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> m) {
    Map<String, List<String>> c = new TreeMap<>();
    m.forEach((k, v) -> c.put(k, new ArrayList<>(v)));
    return c;
  }

  /**
   * Restores the committed log as it is and in both compacted forms into fresh stores, and (given a
   * {@code tailFrom}) the tail onto a copy restored up to that offset: each must hold exactly the
   * local store's bytes.
   */
  private void assertEveryRestoreEqualsTheLocalStore(long bulkThreshold, int tailFrom) {
    Map<String, String> local = ChangelogReplay.contents(state.store(STORE));
    List<byte[][]> log = changelog.committed;
    String run = "r" + System.nanoTime();
    int n = 0;
    for (List<byte[][]> l :
        List.of(log, ChangelogReplay.compacted(log, false), ChangelogReplay.compacted(log, true))) {
      StateBackend other =
          StateBackends.rocksDb(
              RocksDbSettings.of(dir.resolve(run + n++))
                  .withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE));
      try (TaskStateStore base = other.open("0_0", List.of(STORE))) {
        ChangelogReplay.restore(base, STORE, TOPIC, l, bulkThreshold);
        assertThat(ChangelogReplay.contents(base.store(STORE)))
            .as("restore %d, bulk threshold %d", n - 1, bulkThreshold)
            .isEqualTo(local);
      } finally {
        other.close();
      }
    }
    if (tailFrom < 0) {
      return;
    }
    assertThat(
            ChangelogReplay.restoreInTwoSteps(
                dir.resolve(run + "tail"), STORE, TOPIC, log, tailFrom, bulkThreshold))
        .as("tail")
        .isEqualTo(local);
  }
}
