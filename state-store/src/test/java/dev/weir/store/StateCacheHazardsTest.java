package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.entries;
import static dev.weir.store.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The places where a write-back cache could show something other than committed state plus the open
 * interval's writes, over RocksDB: eviction in the middle of an interval, scans that cross cached,
 * evicted and pending entries, and deletes of keys whose value is already in the base.
 */
class StateCacheHazardsTest {
  /** About four cached entries of these sizes: every few reads evict something. */
  private static final long TINY = 600;

  @TempDir Path directory;
  private StateBackend backend;
  private TaskStateStore base;

  @BeforeEach
  void open() {
    backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
    base = backend.open("0_0", List.of("a"));
  }

  @AfterEach
  void close() {
    base.close();
    backend.close();
  }

  private static Map<String, String> pendingWrites(TransactionalTaskState tx) {
    Map<String, String> visited = new TreeMap<>();
    tx.forEachPendingWrite((store, k, v) -> visited.put(hex(k), hex(v)));
    return visited;
  }

  @Test
  void evictionInTheMiddleOfAnIntervalThenACrashLeavesExactlyTheCommittedState() {
    StateCache cache = StateCache.of(TINY);
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, cache);
    KeyValueStore a = tx.store("a");
    for (int i = 0; i < 10; i++) {
      a.put(bytes(i), bytes(i));
    }
    tx.commit(Map.of("a-0", 10L));

    // The next interval: an overwrite, a delete of a committed key, a key created and deleted.
    a.put(bytes(0), bytes(0xa0));
    a.delete(bytes(1));
    a.put(bytes(0x20), bytes(0x20));
    a.delete(bytes(0x20));
    long evictionsBefore = cache.evictions();
    for (int i = 2; i < 10; i++) {
      assertThat(hex(a.get(bytes(i)))).isEqualTo(hex(bytes(i)));
    }
    assertThat(cache.evictions()).as("reads evicted clean entries").isGreaterThan(evictionsBefore);
    // Eviction never drops a pending write.
    assertThat(hex(a.get(bytes(0)))).isEqualTo("a0");
    assertThat(a.get(bytes(1))).isNull();
    assertThat(pendingWrites(tx)).isEqualTo(mapOf("00", "a0", "01", null));

    // kill -9: the overlay is gone without commit or abort; a new thread wraps the same store.
    StateCache fresh = StateCache.of(TINY);
    tx = TransactionalTaskState.wrap(base, fresh);
    a = tx.store("a");
    Map<String, String> committed = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      committed.put(hex(bytes(i)), hex(bytes(i)));
      assertThat(hex(a.get(bytes(i)))).isEqualTo(hex(bytes(i)));
    }
    assertThat(a.get(bytes(0x20))).isNull();
    assertThat(entries(a.all())).isEqualTo(committed);
    assertThat(entries(base.store("a").all())).isEqualTo(committed);
    assertThat(base.committedOffsets()).isEqualTo(Map.of("a-0", 10L));
    assertThat(pendingWrites(tx)).isEmpty();
    assertThat(fresh.usedBytes()).isBetween(0L, TINY);
  }

  @Test
  void aScanMergesCachedEvictedFlushedAndPendingEntriesInKeyOrder() {
    // Committed before the overlay: a prefix "p" with ten keys, and neighbours on both sides.
    KeyValueStore direct = base.store("a");
    direct.put(bytes('o', 9), bytes(1));
    for (int i = 0; i < 10; i++) {
      direct.put(bytes('p', i * 2), bytes(i));
    }
    direct.put(bytes('q', 0), bytes(2));
    StateCache cache = StateCache.of(TINY);
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, cache);
    KeyValueStore a = tx.store("a");
    TreeMap<String, String> model = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      model.put(hex(bytes('p', i * 2)), hex(bytes(i)));
    }

    // Reads cache some committed entries and evict others.
    for (int i = 0; i < 10; i++) {
      a.get(bytes('p', i * 2));
    }
    assertThat(cache.evictions()).isPositive();
    // One interval flushed: a new key between two committed ones, an overwrite, a delete.
    a.put(bytes('p', 5), bytes(0x55));
    a.put(bytes('p', 6), bytes(0x66));
    a.delete(bytes('p', 8));
    tx.commit(Map.of());
    model.put(hex(bytes('p', 5)), "55");
    model.put(hex(bytes('p', 6)), "66");
    model.remove(hex(bytes('p', 8)));

    // The open interval, touching flushed, cached and evicted keys and keys never seen.
    a.put(bytes('p', 1), bytes(0x11)); // new, before every committed key
    a.delete(bytes('p', 0)); // committed before the overlay, maybe evicted
    a.delete(bytes('p', 6)); // flushed by this overlay
    a.put(bytes('p', 5), bytes(0x56)); // flushed, overwritten
    a.put(bytes('p', 7), bytes(0x77)); // created and deleted in the interval: absent
    a.delete(bytes('p', 7));
    a.put(bytes('p', 19), bytes(0x19)); // new, after every committed key
    a.put(bytes('p', 8), bytes(0x88)); // flushed as deleted, written again
    model.put(hex(bytes('p', 1)), "11");
    model.remove(hex(bytes('p', 0)));
    model.remove(hex(bytes('p', 6)));
    model.put(hex(bytes('p', 5)), "56");
    model.put(hex(bytes('p', 19)), "19");
    model.put(hex(bytes('p', 8)), "88");

    assertThat(entries(a.prefixScan(bytes('p')))).isEqualTo(model);
    assertThat(entries(a.range(bytes('p', 5), bytes('p', 9))))
        .isEqualTo(model.subMap(hex(bytes('p', 5)), hex(bytes('p', 9))));
    TreeMap<String, String> all = new TreeMap<>(model);
    all.put(hex(bytes('o', 9)), "01");
    all.put(hex(bytes('q', 0)), "02");
    assertThat(entries(a.all())).isEqualTo(all);

    tx.commit(Map.of());
    assertThat(entries(a.prefixScan(bytes('p')))).isEqualTo(model);
    assertThat(entries(base.store("a").prefixScan(bytes('p')))).isEqualTo(model);
  }

  /**
   * A caller may write while it iterates a range (map state, TTL cleanup): the scan goes on from
   * where it was and shows what stands ahead of it when it gets there, whatever the writes did to
   * the pending entries behind or ahead of it, across a commit too.
   */
  @Test
  void aScanGoesOnAcrossWritesMadeWhileItIterates() {
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, StateCache.of(1 << 20));
    KeyValueStore a = tx.store("a");
    for (int i : new int[] {1, 3, 5}) {
      a.put(bytes('k', i), bytes(i));
    }
    tx.commit(Map.of("a-0", 3L));
    for (int i : new int[] {2, 4, 6, 8, 10}) {
      a.put(bytes('k', i), bytes(i));
    }

    List<String> seen = new java.util.ArrayList<>();
    try (KeyValueIterator it = a.prefixScan(bytes('k'))) {
      for (int n = 0; n < 2; n++) {
        seen.add(hex(it.next().key()));
      }
      // Behind the scan, ahead of it, a pending key dropped, a committed key deleted.
      a.put(bytes('k', 0), bytes(0));
      a.put(bytes('k', 7), bytes(7));
      a.delete(bytes('k', 6)); // written in this interval only: no longer pending
      a.delete(bytes('k', 5)); // committed: a pending tombstone hides it
      for (int n = 0; n < 2; n++) {
        seen.add(hex(it.next().key()));
      }
      tx.commit(Map.of("a-0", 4L)); // a scan still open goes on over what it started on
      a.put(bytes('k', 9), bytes(9));
      it.forEachRemaining(e -> seen.add(hex(e.key())));
    }
    assertThat(seen).containsExactly(kHex(1, 2, 3, 4, 7, 8, 10));
    assertThat(TestBytes.keys(a.prefixScan(bytes('k'))))
        .containsExactly(kHex(0, 1, 2, 3, 4, 7, 8, 9, 10));
  }

  /** The hex of the keys {@code 'k', n} for each {@code n}, in order. */
  private static String[] kHex(int... ns) {
    String[] out = new String[ns.length];
    for (int i = 0; i < ns.length; i++) {
      out[i] = hex(bytes('k', ns[i]));
    }
    return out;
  }

  @Test
  void aDeleteOfAFlushedKeyReadsAsAbsentBeforeAndAfterItsCommitAndAfterARestart() {
    StateCache cache = StateCache.of(1 << 20);
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, cache);
    KeyValueStore a = tx.store("a");
    a.put(bytes(1), bytes(1));
    a.put(bytes(2), bytes(2));
    tx.commit(Map.of());
    assertThat(hex(base.store("a").get(bytes(1)))).isEqualTo("01");

    a.delete(bytes(1));
    assertThat(a.get(bytes(1))).isNull();
    assertThat(pendingWrites(tx))
        .as("a flushed key needs its tombstone")
        .isEqualTo(mapOf("01", null));
    tx.abort();
    assertThat(hex(a.get(bytes(1)))).as("abort brings the committed value back").isEqualTo("01");

    a.delete(bytes(1));
    tx.commit(Map.of());
    assertThat(a.get(bytes(1))).isNull();
    assertThat(base.store("a").get(bytes(1))).isNull();
    assertThat(hex(a.get(bytes(2)))).isEqualTo("02");

    // The same with the flushed key evicted first, so that only the base knows it.
    StateCache tiny = StateCache.of(1);
    tx = TransactionalTaskState.wrap(base, tiny);
    a = tx.store("a");
    assertThat(hex(a.get(bytes(2)))).isEqualTo("02");
    assertThat(tiny.usedBytes()).as("evicted at once").isZero();
    a.delete(bytes(2));
    assertThat(a.get(bytes(2))).isNull();
    assertThat(pendingWrites(tx)).isEqualTo(mapOf("02", null));
    tx.commit(Map.of());
    assertThat(a.get(bytes(2))).isNull();

    tx = TransactionalTaskState.wrap(base, StateCache.of(1 << 20));
    assertThat(tx.store("a").get(bytes(1))).isNull();
    assertThat(tx.store("a").get(bytes(2))).isNull();
    assertThat(entries(tx.store("a").all())).isEmpty();
  }

  /**
   * Keys read only by scans (design record 037): a commit keeps no clean copy of them, and in an
   * overlay that is complete for every other key a point read, update or delete of a committed one
   * still finds the base's value instead of taking it for absent.
   */
  @Test
  void keysReadOnlyByScansAreNotCachedAndPointOperationsOnThemStillSeeTheBase() {
    StateCache cache = StateCache.of(1L << 20);
    // Keys starting with 'e' are scanned only; the base is empty, so the overlay starts complete.
    TransactionalTaskState tx =
        TransactionalTaskState.wrap(base, cache, k -> k[0] == 'e', k -> true);
    KeyValueStore a = tx.store("a");
    for (int i = 0; i < 20; i++) {
      a.put(bytes('e', i), bytes(i, i, i, i, i, i, i, i));
    }
    a.put(bytes('h'), bytes(1));
    tx.commit(Map.of());
    StateCache plainCache = StateCache.of(1L << 20);
    TransactionalTaskState plain = TransactionalTaskState.wrap(base, plainCache);
    plain.store("a").get(bytes('h'));
    assertThat(cache.usedBytes()).as("only 'h' is cached").isEqualTo(plainCache.usedBytes());

    // Point operations on committed scanned-only keys reach the base.
    assertThat(hex(a.get(bytes('e', 1)))).isEqualTo(hex(bytes(1, 1, 1, 1, 1, 1, 1, 1)));
    a.update(bytes('e', 2), v -> bytes(v[0] + 0x20));
    a.delete(bytes('e', 3));
    a.put(bytes('e', 4), bytes(0x44));
    a.delete(bytes('e', 4)); // committed before: a tombstone, not a dropped write
    assertThat(pendingWrites(tx)).isEqualTo(mapOf("6502", "22", "6503", null, "6504", null));
    Map<String, String> model = new TreeMap<>();
    for (int i = 0; i < 20; i++) {
      if (i != 3 && i != 4) {
        model.put(hex(bytes('e', i)), hex(i == 2 ? bytes(0x22) : bytes(i, i, i, i, i, i, i, i)));
      }
    }
    model.put("68", "01");
    assertThat(entries(a.all())).isEqualTo(model);
    tx.commit(Map.of());
    assertThat(entries(base.store("a").all())).isEqualTo(model);
    assertThat(entries(a.prefixScan(bytes('e')))).hasSize(18);
    assertThat(cache.usedBytes()).isEqualTo(plainCache.usedBytes());
    // A key never written is still known absent without a base read: 'h' keys stay complete.
    long misses = cache.misses();
    assertThat(a.get(bytes('h', 9))).isNull();
    assertThat(cache.misses()).isEqualTo(misses);
  }

  private static Map<String, String> mapOf(String... keyValues) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
