package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.entries;
import static dev.weir.store.TestBytes.hex;
import static dev.weir.store.TestBytes.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transactional write buffer over each backend. */
class TransactionalTaskStateTest {

  @Nested
  class OverRocksDb extends Contract {
    @Override
    StateBackend createBackend(Path directory) {
      return StateBackends.rocksDb(RocksDbSettings.of(directory));
    }

    @Test
    void committedWritesAndOffsetsSurviveReopenButPendingOnesDoNot() {
      tx.store("a").put(bytes(1), bytes(1));
      tx.commit(Map.of("a-0", 11L));
      tx.store("a").put(bytes(2), bytes(2));
      base.close();
      backend.close();
      backend = createBackend(directory);
      base = backend.open("0_1", List.of("a", "b"));
      assertThat(keys(base.store("a").all())).containsExactly("01");
      assertThat(base.committedOffsets()).isEqualTo(Map.of("a-0", 11L));
    }
  }

  @Nested
  class OverInMemory extends Contract {
    @Override
    StateBackend createBackend(Path directory) {
      return StateBackends.inMemory();
    }
  }

  /** The same contract with the write-back cache on: it must not change what anyone observes. */
  @Nested
  class OverRocksDbCached extends Contract {
    @Override
    StateBackend createBackend(Path directory) {
      return StateBackends.rocksDb(RocksDbSettings.of(directory));
    }

    @Override
    StateCache cache() {
      return StateCache.of(1 << 20);
    }
  }

  @Nested
  class OverInMemoryCached extends Contract {
    @Override
    StateBackend createBackend(Path directory) {
      return StateBackends.inMemory();
    }

    @Override
    StateCache cache() {
      return StateCache.of(1 << 20);
    }
  }

  /** A budget of a few entries: evictions all the time, and the overlay soon incomplete. */
  @Nested
  class OverRocksDbTinyCache extends Contract {
    @Override
    StateBackend createBackend(Path directory) {
      return StateBackends.rocksDb(RocksDbSettings.of(directory));
    }

    @Override
    StateCache cache() {
      return StateCache.of(600);
    }
  }

  abstract static class Contract {
    @TempDir Path directory;
    StateBackend backend;
    TaskStateStore base;
    TransactionalTaskState tx;

    abstract StateBackend createBackend(Path directory);

    /** The cache budget of the overlay under test. */
    StateCache cache() {
      return StateCache.disabled();
    }

    @BeforeEach
    void open() {
      backend = createBackend(directory);
      base = backend.open("0_1", List.of("a", "b"));
      tx = TransactionalTaskState.wrap(base, cache());
    }

    /**
     * Wraps the base anew, after a test wrote it directly to set up committed state (nobody may
     * write the base while it is wrapped).
     */
    void rewrap() {
      tx = TransactionalTaskState.wrap(base, cache());
    }

    @AfterEach
    void close() {
      base.close();
      backend.close();
    }

    /** Puts in a list, as an owner of outside writes (design record 026) keeps them. */
    static final class ListedWrites implements OutsideWrites {
      final List<byte[][]> puts = new ArrayList<>();
      int committed;
      int aborted;

      @Override
      public void forEach(java.util.function.BiConsumer<byte[], byte[]> visitor) {
        puts.forEach(p -> visitor.accept(p[0], p[1]));
      }

      @Override
      public void forEachReplacedKey(java.util.function.Consumer<byte[]> visitor) {
        puts.forEach(p -> visitor.accept(p[0]));
      }

      @Override
      public int count() {
        return puts.size();
      }

      @Override
      public long bytes() {
        return 100L * puts.size();
      }

      @Override
      public void committed() {
        committed++;
        puts.clear();
      }

      @Override
      public void aborted() {
        aborted++;
        puts.clear();
      }
    }

    @Test
    void outsideWritesArePendingWritesVisitedLastAndCommittedInTheSameBatch() {
      base.store("a").put(bytes(5), bytes(50));
      rewrap();
      KeyValueStore a = tx.store("a");
      assertThat(a.get(bytes(5))).isEqualTo(bytes(50)); // cached when the cache is on
      ListedWrites outside = new ListedWrites();
      TransactionalTaskState.attach(a, outside);
      a.put(bytes(3), bytes(30));
      a.put(bytes(5), bytes(51));
      outside.puts.add(new byte[][] {bytes(5), bytes(52)}); // wins over the pending 51
      outside.puts.add(new byte[][] {bytes(1), bytes(10)});
      assertThat(tx.pendingWriteCount()).isEqualTo(4);
      assertThat(tx.uncommittedBytes()).isGreaterThanOrEqualTo(200);
      List<String> visited = new ArrayList<>();
      tx.forEachPendingWrite((store, k, v) -> visited.add(store + ":" + hex(k) + "=" + hex(v)));
      assertThat(visited).containsExactly("a:03=1e", "a:05=33", "a:05=34", "a:01=0a");

      tx.commit(Map.of("a-0", 7L));
      assertThat(outside.committed).isEqualTo(1);
      assertThat(tx.pendingWriteCount()).isZero();
      assertThat(entries(base.store("a").all()))
          .containsExactly(Map.entry("01", "0a"), Map.entry("03", "1e"), Map.entry("05", "34"));
      assertThat(base.committedOffsets()).isEqualTo(Map.of("a-0", 7L));
      // What the overlay knew of key 5 (51, or 50 cached) is gone: reads see the base.
      assertThat(a.get(bytes(5))).isEqualTo(bytes(52));
      assertThat(a.get(bytes(1))).isEqualTo(bytes(10));

      outside.puts.add(new byte[][] {bytes(2), bytes(20)});
      tx.abort();
      assertThat(outside.aborted).isEqualTo(1);
      assertThat(outside.puts).isEmpty();
      assertThat(keys(base.store("a").all())).containsExactly("01", "03", "05");
      assertThatThrownBy(() -> TransactionalTaskState.attach(base.store("a"), outside))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exposesTheBaseTaskAndStores() {
      assertThat(tx.taskId()).isEqualTo("0_1");
      assertThat(tx.storeNames()).containsExactly("a", "b");
      assertThatThrownBy(() -> tx.store("zz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsSeePendingWritesMergedOverCommittedState() {
      KeyValueStore committed = base.store("a");
      for (int key : new int[] {1, 2, 3, 4}) {
        committed.put(bytes(key), bytes(key));
      }
      rewrap();
      KeyValueStore store = tx.store("a");
      store.put(bytes(2), bytes(0x22));
      store.delete(bytes(3));
      store.put(bytes(5), bytes(0x55));
      assertThat(entries(store.all()))
          .containsExactly(
              Map.entry("01", "01"),
              Map.entry("02", "22"),
              Map.entry("04", "04"),
              Map.entry("05", "55"));
      assertThat(store.get(bytes(3))).isNull();
      assertThat(hex(store.get(bytes(4)))).isEqualTo("04");
      assertThat(keys(store.range(bytes(2), bytes(5)))).containsExactly("02", "04");
      assertThat(keys(committed.all()))
          .as("base untouched")
          .containsExactly("01", "02", "03", "04");
    }

    @Test
    void abortDiscardsPendingWrites() {
      base.store("a").put(bytes(1), bytes(1));
      rewrap();
      tx.store("a").put(bytes(1), bytes(9));
      tx.store("a").delete(bytes(1));
      tx.store("b").put(bytes(2), bytes(2));
      tx.abort();
      assertThat(tx.pendingWriteCount()).isZero();
      assertThat(tx.uncommittedBytes()).isZero();
      assertThat(hex(tx.store("a").get(bytes(1)))).isEqualTo("01");
      assertThat(keys(tx.store("b").all())).isEmpty();
    }

    @Test
    void commitAppliesDataAndOffsetsTogether() {
      tx.store("a").put(bytes(1), bytes(1));
      tx.store("b").put(bytes(2), bytes(2));
      assertThat(base.store("a").get(bytes(1))).isNull();
      assertThat(base.committedOffsets()).isEmpty();
      tx.commit(Map.of("app-a-changelog-1", 100L, "app-b-changelog-1", 7L));
      assertThat(hex(base.store("a").get(bytes(1)))).isEqualTo("01");
      assertThat(hex(base.store("b").get(bytes(2)))).isEqualTo("02");
      assertThat(tx.committedOffsets())
          .isEqualTo(Map.of("app-a-changelog-1", 100L, "app-b-changelog-1", 7L));
      assertThat(tx.pendingWriteCount()).isZero();
      tx.commit(Map.of("app-a-changelog-1", 101L));
      assertThat(base.committedOffsets())
          .isEqualTo(Map.of("app-a-changelog-1", 101L, "app-b-changelog-1", 7L));
    }

    @Test
    void pendingWritesAreVisitedOncePerKeyWithTheLatestValue() {
      tx.store("b").put(bytes(2), bytes(1));
      tx.store("b").put(bytes(2), bytes(2));
      tx.store("a").put(bytes(0x80), bytes(3));
      tx.store("a").put(bytes(0x01), bytes(4));
      tx.store("a").delete(bytes(0x01));
      tx.store("a").put(bytes(0x7f), bytes(5));
      List<String> visited = new ArrayList<>();
      tx.forEachPendingWrite(
          (store, key, value) -> visited.add(store + ":" + hex(key) + "=" + hex(value)));
      // a:01 was written and deleted before any commit and is not in the committed state: the
      // commit has nothing to record for it, not even a tombstone.
      assertThat(visited).containsExactly("a:7f=05", "a:80=03", "b:02=02");
    }

    @Test
    void deletingACommittedKeyAfterRewritingItStillLogsATombstone() {
      tx.store("a").put(bytes(1), bytes(1));
      tx.commit(Map.of());
      tx.store("a").put(bytes(1), bytes(2));
      tx.store("a").delete(bytes(1));
      // Never written anywhere: a plain tombstone without a cache; a cache that knows the key is
      // absent (it saw every write to an empty store) logs nothing.
      tx.store("a").delete(bytes(3));
      List<String> visited = new ArrayList<>();
      tx.forEachPendingWrite((store, key, value) -> visited.add(hex(key) + "=" + hex(value)));
      if (cache().enabled()) {
        assertThat(visited).containsExactly("01=null");
      } else {
        assertThat(visited).containsExactly("01=null", "03=null");
      }
      assertThat(tx.pendingWriteCount()).isEqualTo(visited.size());
      tx.commit(Map.of());
      assertThat(keys(base.store("a").all())).isEmpty();
    }

    @Test
    void deleteRangeBecomesOneTombstonePerLiveKey() {
      base.store("a").put(bytes(1), bytes(1));
      base.store("a").put(bytes(3), bytes(3));
      base.store("a").put(bytes(9), bytes(9));
      rewrap();
      tx.store("a").put(bytes(2), bytes(2));
      tx.store("a").deleteRange(bytes(1), bytes(5));
      List<String> visited = new ArrayList<>();
      tx.forEachPendingWrite((store, key, value) -> visited.add(hex(key) + "=" + hex(value)));
      // 02 was written and deleted in this interval and is not committed: nothing to log.
      assertThat(visited).containsExactly("01=null", "03=null");
      assertThat(keys(tx.store("a").all())).containsExactly("09");
      tx.commit(Map.of());
      assertThat(keys(base.store("a").all())).containsExactly("09");
    }

    @Test
    void aDeletedRangeHidesTheBaseUntilCommitAndARewriteAfterItWins() {
      base.store("a").put(bytes(1), bytes(1));
      base.store("a").put(bytes(3), bytes(3));
      base.store("a").put(bytes(4), bytes(4));
      base.store("a").put(bytes(9), bytes(9));
      rewrap();
      KeyValueStore a = tx.store("a");
      assertThat(hex(a.get(bytes(3)))).isEqualTo("03"); // a clean entry, where caching
      a.put(bytes(2), bytes(2));
      a.put(bytes(4), bytes(0x44));
      // Live before: 01, 02, 03, 04 (rewritten); 09 is outside.
      assertThat(a.deleteRangeCounted(bytes(1), bytes(5))).isEqualTo(4);
      assertThat(a.get(bytes(1))).isNull();
      assertThat(a.get(bytes(3))).isNull();
      assertThat(a.get(bytes(4))).isNull();
      assertThat(keys(a.range(bytes(0), bytes(9)))).isEmpty();
      a.delete(bytes(1)); // already gone: no second tombstone needed
      a.put(bytes(3), bytes(0x33));
      assertThat(hex(a.get(bytes(3)))).isEqualTo("33");
      assertThat(entries(a.all())).isEqualTo(Map.of("03", "33", "09", "09"));
      List<String> visited = new ArrayList<>();
      tx.forEachPendingWrite((store, key, value) -> visited.add(hex(key) + "=" + hex(value)));
      // The range's tombstones (the committed keys it held) first, then the rewrite.
      assertThat(visited).containsExactly("01=null", "03=null", "04=null", "03=33");
      assertThat(tx.pendingWriteCount()).isEqualTo(visited.size());
      assertThat(a.deleteRangeCounted(bytes(1), bytes(5))).isEqualTo(1);
      assertThat(a.deleteRangeCounted(bytes(1), bytes(5))).isZero();
      a.put(bytes(3), bytes(0x34));
      tx.commit(Map.of());
      assertThat(entries(base.store("a").all())).isEqualTo(Map.of("03", "34", "09", "09"));
      assertThat(entries(a.all())).isEqualTo(Map.of("03", "34", "09", "09"));
      assertThat(tx.pendingWriteCount()).isZero();
    }

    @Test
    void disjointNestedAdjacentAndOpenDeletedRangesHideExactlyTheirKeys() {
      for (int k = 0; k < 0x20; k++) {
        base.store("a").put(bytes(k), bytes(k));
      }
      rewrap(); // the base is not empty: reads of keys the overlay does not know reach it
      KeyValueStore a = tx.store("a");
      a.deleteRange(bytes(0x04), bytes(0x06)); // 04 05
      a.deleteRange(bytes(0x10), bytes(0x14)); // 10..13
      a.deleteRange(bytes(0x11), bytes(0x12)); // nested: nothing new
      a.deleteRange(bytes(0x14), bytes(0x16)); // adjacent: 14 15
      a.deleteRange(bytes(0x08), bytes(0x0a)); // between two others: 08 09
      a.deleteRange(bytes(0x03), bytes(0x05)); // overlaps the first: 03
      a.deleteRange(bytes(0x1e), null); // open end: 1e 1f
      a.deleteRange(null, bytes(0x01)); // open start: 00
      Set<Integer> gone = Set.of(0, 3, 4, 5, 8, 9, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x1e, 0x1f);
      Map<String, String> live = new TreeMap<>();
      for (int k = 0; k < 0x20; k++) {
        if (gone.contains(k)) {
          assertThat(a.get(bytes(k))).as("get %02x", k).isNull();
        } else {
          assertThat(hex(a.get(bytes(k)))).as("get %02x", k).isEqualTo(hex(bytes(k)));
          live.put(hex(bytes(k)), hex(bytes(k)));
        }
      }
      assertThat(entries(a.all())).isEqualTo(live);
      List<String> tombstones = new ArrayList<>();
      tx.forEachPendingWrite((store, key, value) -> tombstones.add(hex(key) + "=" + hex(value)));
      assertThat(tombstones)
          .containsExactlyInAnyOrder(
              gone.stream().map(k -> hex(bytes(k)) + "=null").toArray(String[]::new));
      a.put(bytes(0x12), bytes(0x42)); // written again after its range's drop
      live.put("12", "42");
      tx.commit(Map.of());
      assertThat(entries(base.store("a").all())).isEqualTo(live);
      assertThat(entries(a.all())).isEqualTo(live);
      assertThat(a.get(bytes(0x04))).isNull();
    }

    @Test
    void updateSeesTheLatestValueAndLogsOnlyTheResult() {
      base.store("a").put(bytes(1), bytes(1));
      base.store("a").put(bytes(2), bytes(2));
      rewrap();
      KeyValueStore a = tx.store("a");
      java.util.function.UnaryOperator<byte[]> plusOne =
          v -> v == null ? bytes(0x10) : bytes((v[0] & 0xff) + 1);
      a.update(bytes(1), plusOne); // committed 01 -> 02
      a.update(bytes(1), plusOne); // pending 02 -> 03
      a.update(bytes(3), plusOne); // absent -> 10
      a.deleteRange(bytes(2), bytes(3));
      a.update(bytes(2), plusOne); // deleted in this transaction: absent -> 10
      assertThat(entries(a.all())).isEqualTo(Map.of("01", "03", "02", "10", "03", "10"));
      List<String> visited = new ArrayList<>();
      tx.forEachPendingWrite((store, key, value) -> visited.add(hex(key) + "=" + hex(value)));
      assertThat(visited).containsExactly("02=null", "01=03", "02=10", "03=10");
      assertThatThrownBy(() -> a.update(bytes(4), v -> null))
          .isInstanceOf(NullPointerException.class);
      tx.commit(Map.of());
      assertThat(entries(base.store("a").all()))
          .isEqualTo(Map.of("01", "03", "02", "10", "03", "10"));
      a.update(bytes(3), plusOne);
      assertThat(hex(a.get(bytes(3)))).isEqualTo("11");
    }

    @Test
    void anAbortedRangeDeleteLeavesTheCommittedState() {
      base.store("a").put(bytes(1), bytes(1));
      base.store("a").put(bytes(3), bytes(3));
      rewrap();
      KeyValueStore a = tx.store("a");
      assertThat(hex(a.get(bytes(1)))).isEqualTo("01");
      assertThat(a.deleteRangeCounted(null, null)).isEqualTo(2);
      assertThat(keys(a.all())).isEmpty();
      tx.abort();
      assertThat(tx.pendingWriteCount()).isZero();
      assertThat(hex(a.get(bytes(1)))).isEqualTo("01");
      assertThat(entries(a.all())).isEqualTo(Map.of("01", "01", "03", "03"));
      tx.commit(Map.of());
      assertThat(entries(base.store("a").all())).isEqualTo(Map.of("01", "01", "03", "03"));
    }

    @Test
    void uncommittedBytesAndCountTrackTheOverlay() {
      tx.store("b").put(new byte[10], new byte[1]);
      tx.commit(Map.of());
      assertThat(tx.uncommittedBytes()).isZero();
      tx.store("a").put(new byte[10], new byte[100]);
      long one = tx.uncommittedBytes();
      assertThat(one).isGreaterThanOrEqualTo(110);
      tx.store("a").put(new byte[10], new byte[1000]);
      assertThat(tx.uncommittedBytes()).isEqualTo(one + 900);
      tx.store("b").delete(new byte[10]);
      assertThat(tx.uncommittedBytes()).isGreaterThan(one + 900);
      assertThat(tx.pendingWriteCount()).isEqualTo(2);
      tx.commit(Map.of());
      assertThat(tx.uncommittedBytes()).isZero();
    }

    @Test
    void approximateNumEntriesAddsTheOverlaysNetEffect() {
      base.store("a").put(bytes(1), bytes(1));
      base.store("a").put(bytes(2), bytes(2));
      rewrap();
      tx.store("a").put(bytes(3), bytes(3));
      tx.store("a").delete(bytes(1));
      long estimate = tx.store("a").approximateNumEntries();
      assertThat(estimate).isEqualTo(base.store("a").approximateNumEntries());
      tx.store("a").delete(bytes(2));
      assertThat(tx.store("a").approximateNumEntries()).isEqualTo(estimate - 1);
    }

    @Test
    void invalidOffsetsFailTheCommitBeforeAnythingIsApplied() {
      tx.store("a").put(bytes(1), bytes(1));
      assertThatThrownBy(() -> tx.commit(Map.of("a-0", -5L)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(base.store("a").get(bytes(1))).isNull();
      assertThat(tx.pendingWriteCount()).isEqualTo(1);
    }

    /** Hex strings sort like the unsigned bytes they encode, so a TreeMap of hex is the model. */
    @Test
    void randomWritesCommitsAndAbortsMatchAModel() {
      Random random = new Random(4711);
      TreeMap<String, String> committed = new TreeMap<>();
      TreeMap<String, String> visible = new TreeMap<>();
      Map<String, String> pending = new TreeMap<>();
      KeyValueStore store = tx.store("a");
      for (int step = 0; step < 3000; step++) {
        byte[] key = bytes(random.nextInt(3) * 0x7f, random.nextInt(256));
        switch (random.nextInt(24)) {
          case 20, 21 -> // point reads fill the cache and, at a small budget, evict mid-interval
              assertThat(hex(store.get(key)))
                  .as("get %s", hex(key))
                  .isEqualTo(visible.get(hex(key)));
          case 22 -> {
            byte[] prefix = bytes(key[0] & 0xff);
            assertThat(entries(store.prefixScan(prefix)))
                .isEqualTo(visible.subMap(hex(prefix), hex(bytes((key[0] & 0xff) + 1))));
          }
          case 23 -> {
            // A crash: the overlay (pending writes and cache) is lost without commit or abort,
            // and a new one wraps the base, which holds exactly the committed state.
            tx = TransactionalTaskState.wrap(base, cache());
            store = tx.store("a");
            visible = new TreeMap<>(committed);
            pending.clear();
          }
          case 0 -> {
            tx.commit(Map.of("a-0", (long) step));
            committed = new TreeMap<>(visible);
            pending.clear();
          }
          case 1 -> {
            tx.abort();
            visible = new TreeMap<>(committed);
            pending.clear();
          }
          case 2 -> {
            byte[] to = bytes(key[0] & 0xff, Math.min(255, (key[1] & 0xff) + 20));
            store.deleteRange(key, to);
            for (String deleted : new ArrayList<>(visible.subMap(hex(key), hex(to)).keySet())) {
              visible.remove(deleted);
              if (pending.get(deleted) != null && !committed.containsKey(deleted)) {
                pending.remove(deleted); // written and deleted in one interval: nothing to log
              } else {
                pending.put(deleted, null);
              }
            }
          }
          case 3, 4, 5 -> {
            store.delete(key);
            visible.remove(hex(key));
            if (pending.get(hex(key)) != null && !committed.containsKey(hex(key))) {
              pending.remove(hex(key)); // written and deleted in one interval: nothing to log
            } else {
              pending.put(hex(key), null);
            }
          }
          default -> {
            byte[] value = bytes(random.nextInt(256));
            store.put(key, value);
            visible.put(hex(key), hex(value));
            pending.put(hex(key), hex(value));
          }
        }
        if (step % 50 == 0) {
          assertThat(entries(store.all())).isEqualTo(visible);
          assertThat(entries(base.store("a").all())).isEqualTo(committed);
          Map<String, String> visited = new TreeMap<>();
          tx.forEachPendingWrite((name, k, v) -> visited.put(hex(k), hex(v)));
          // A delete of a key that is neither committed nor pending may log a tombstone (when the
          // overlay does not know the key is absent) or nothing (when it does): both are correct.
          Map<String, String> required = new TreeMap<>(pending);
          Map<String, String> committedNow = committed;
          required
              .entrySet()
              .removeIf(e -> e.getValue() == null && !committedNow.containsKey(e.getKey()));
          Map<String, String> optional = new TreeMap<>(visited);
          optional.keySet().removeAll(required.keySet());
          assertThat(new TreeMap<>(visited)).containsAllEntriesOf(required);
          assertThat(optional.values()).allMatch(java.util.Objects::isNull);
          assertThat(pending).containsAllEntriesOf(optional);
        }
      }
      tx.commit(Map.of("a-0", 3000L));
      assertThat(entries(base.store("a").all())).isEqualTo(visible);
      assertThat(base.committedOffsets()).isEqualTo(Map.of("a-0", 3000L));
    }

    @Test
    void aFailedCommitKeepsThePendingWrites() {
      tx.store("a").put(bytes(1), bytes(1));
      base.close();
      assertThatThrownBy(() -> tx.commit(Map.of("a-0", 1L)))
          .isInstanceOf(IllegalStateException.class);
      assertThat(tx.pendingWriteCount()).isEqualTo(1);
      tx.abort();
      assertThat(tx.pendingWriteCount()).isZero();
    }
  }
}
