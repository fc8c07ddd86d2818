package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.entries;
import static dev.weir.store.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A range deleted right after a scan of exactly that range read it to its end (a fired window's
 * purge after its read, design record 037) takes the committed keys from the scan instead of
 * reading the base again, and deletes exactly what a second read would have: over RocksDB, counting
 * the base's range reads.
 */
class ScanThenDeleteRangeTest {
  private static final byte[] P = bytes('p');
  private static final byte[] P_END = bytes('q');

  @TempDir Path directory;
  private StateBackend backend;
  private TaskStateStore rocks;
  private Counting base;
  private TransactionalTaskState tx;
  private KeyValueStore a;

  @BeforeEach
  void open() {
    backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
    rocks = backend.open("0_0", List.of("a"));
    base = new Counting(rocks);
    tx = TransactionalTaskState.wrap(base, StateCache.of(1L << 20));
    a = tx.store("a");
    for (int i = 0; i < 10; i++) {
      a.put(bytes('p', i), bytes(i));
    }
    a.put(bytes('o'), bytes(1));
    a.put(P_END, bytes(2));
    tx.commit(Map.of());
  }

  @AfterEach
  void close() {
    rocks.close();
    backend.close();
  }

  private void scanToTheEnd() {
    try (KeyValueIterator it = a.range(P, P_END)) {
      while (it.hasNext()) {
        it.next();
      }
    }
  }

  /** The commit's writes in visiting order: a tombstone twice would show twice. */
  private List<String> pendingWrites() {
    List<String> out = new ArrayList<>();
    tx.forEachPendingWrite((store, k, v) -> out.add(hex(k) + "=" + hex(v)));
    return out;
  }

  private static List<String> tombstones(int... seqs) {
    List<String> out = new ArrayList<>();
    for (int s : seqs) {
      out.add(hex(bytes('p', s)) + "=null");
    }
    return out;
  }

  private Map<String, String> outsideP() {
    Map<String, String> m = new TreeMap<>();
    m.put(hex(bytes('o')), "01");
    m.put(hex(P_END), "02");
    return m;
  }

  @Test
  void aRangeDeletedAfterAScanOfItIsNotReadAgain() {
    scanToTheEnd();
    int reads = base.ranges;
    a.put(bytes('p', 20), bytes(20)); // written after the scan: a pending write, dropped
    a.deleteRange(P, P_END);
    assertThat(base.ranges).as("no second read of the range").isEqualTo(reads);
    assertThat(pendingWrites()).isEqualTo(tombstones(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    assertThat(a.get(bytes('p', 3))).isNull();
    tx.commit(Map.of());
    assertThat(entries(rocks.store("a").all())).isEqualTo(outsideP());
  }

  /**
   * Only scans of ranges whose start the owner names are noted (a timer or map-state scan is never
   * followed by the delete of its range, so noting its keys would only cost); any other scan leaves
   * the delete to read the range itself, with the same tombstones.
   */
  @Test
  void aScanOfARangeTheOwnerDoesNotNameNotesNothing() {
    tx = TransactionalTaskState.wrap(base, StateCache.of(1L << 20), k -> false, k -> k[0] == 'o');
    a = tx.store("a");
    scanToTheEnd();
    int reads = base.ranges;
    a.deleteRange(P, P_END);
    assertThat(base.ranges).as("the delete reads the range again").isEqualTo(reads + 1);
    assertThat(pendingWrites()).isEqualTo(tombstones(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));

    tx.abort();
    tx = TransactionalTaskState.wrap(base, StateCache.of(1L << 20), k -> false, k -> k[0] == 'p');
    a = tx.store("a");
    scanToTheEnd();
    reads = base.ranges;
    a.deleteRange(P, P_END);
    assertThat(base.ranges).as("a named range is not read again").isEqualTo(reads);
    assertThat(pendingWrites()).isEqualTo(tombstones(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    tx.commit(Map.of());
    assertThat(entries(rocks.store("a").all())).isEqualTo(outsideP());
  }

  @Test
  void aScanNotReadToItsEndOrOfAnotherRangeOrBeforeACommitIsNotUsed() {
    try (KeyValueIterator it = a.range(P, P_END)) {
      it.next();
    }
    int reads = base.ranges;
    a.deleteRange(P, P_END);
    assertThat(base.ranges).isEqualTo(reads + 1);
    tx.abort();

    try (KeyValueIterator it = a.range(P, bytes('p', 5))) {
      while (it.hasNext()) {
        it.next();
      }
    }
    reads = base.ranges;
    a.deleteRange(P, P_END);
    assertThat(base.ranges).isEqualTo(reads + 1);
    tx.abort();

    scanToTheEnd();
    tx.commit(Map.of());
    reads = base.ranges;
    a.deleteRange(P, P_END);
    assertThat(base.ranges).isEqualTo(reads + 1);
    assertThat(pendingWrites()).isEqualTo(tombstones(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    tx.commit(Map.of());
    assertThat(entries(rocks.store("a").all())).isEqualTo(outsideP());
  }

  /**
   * A scan still open when a commit changes the base reads its snapshot from before the commit: it
   * is not noted, so the delete reads the range again and meets the key the commit added.
   */
  @Test
  void aScanOpenAcrossACommitIsNotUsed() {
    try (KeyValueIterator it = a.range(P, P_END)) {
      it.next();
      a.put(bytes('p', 20), bytes(20));
      tx.commit(Map.of());
      while (it.hasNext()) {
        it.next();
      }
    }
    int reads = base.ranges;
    a.deleteRange(P, P_END);
    assertThat(base.ranges).isEqualTo(reads + 1);
    assertThat(pendingWrites()).isEqualTo(tombstones(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20));
    tx.commit(Map.of());
    assertThat(entries(rocks.store("a").all())).isEqualTo(outsideP());
  }

  @Test
  void aRangeDeleteOverlappingTheScannedRangeInBetweenMakesTheSecondReadHappen() {
    scanToTheEnd();
    a.deleteRange(bytes('p', 3), bytes('p', 6));
    int reads = base.ranges;
    a.deleteRange(P, P_END);
    assertThat(base.ranges).isEqualTo(reads + 1);
    // Each committed key's tombstone once: the inner range's, then the rest.
    List<String> expected = tombstones(3, 4, 5);
    expected.addAll(tombstones(0, 1, 2, 6, 7, 8, 9));
    assertThat(pendingWrites()).isEqualTo(expected);

    // An overlapping delete while the scan is still open: the scan is not noted either.
    tx.abort();
    reads = base.ranges;
    try (KeyValueIterator it = a.range(P, P_END)) {
      it.next();
      a.deleteRange(bytes('p', 8), P_END);
      while (it.hasNext()) {
        it.next();
      }
    }
    a.deleteRange(P, P_END);
    assertThat(base.ranges).isEqualTo(reads + 3);
    expected = tombstones(8, 9);
    expected.addAll(tombstones(0, 1, 2, 3, 4, 5, 6, 7));
    assertThat(pendingWrites()).isEqualTo(expected);
    tx.commit(Map.of());
    assertThat(entries(rocks.store("a").all())).isEqualTo(outsideP());
  }

  /** A task state whose stores count their range reads. */
  private static final class Counting implements TaskStateStore {
    private final TaskStateStore delegate;
    int ranges;

    Counting(TaskStateStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public String taskId() {
      return delegate.taskId();
    }

    @Override
    public Set<String> storeNames() {
      return delegate.storeNames();
    }

    @Override
    public KeyValueStore store(String name) {
      KeyValueStore s = delegate.store(name);
      return new KeyValueStore() {
        @Override
        public String name() {
          return s.name();
        }

        @Override
        public byte[] get(byte[] key) {
          return s.get(key);
        }

        @Override
        public void put(byte[] key, byte[] value) {
          s.put(key, value);
        }

        @Override
        public void delete(byte[] key) {
          s.delete(key);
        }

        @Override
        public void deleteRange(byte[] fromInclusive, byte[] toExclusive) {
          s.deleteRange(fromInclusive, toExclusive);
        }

        @Override
        public KeyValueIterator range(byte[] fromInclusive, byte[] toExclusive) {
          ranges++;
          return s.range(fromInclusive, toExclusive);
        }

        @Override
        public void forEachKey(
            byte[] fromInclusive, byte[] toExclusive, java.util.function.Consumer<byte[]> action) {
          ranges++;
          s.forEachKey(fromInclusive, toExclusive, action);
        }

        @Override
        public KeyValueIterator prefixScan(byte[] prefix) {
          ranges++;
          return s.prefixScan(prefix);
        }

        @Override
        public KeyValueIterator all() {
          return s.all();
        }

        @Override
        public long approximateNumEntries() {
          return s.approximateNumEntries();
        }
      };
    }

    @Override
    public Map<String, Long> committedOffsets() {
      return delegate.committedOffsets();
    }

    @Override
    public StateWriteBatch newWriteBatch() {
      return delegate.newWriteBatch();
    }

    @Override
    public void applyBatch(StateWriteBatch batch) {
      delegate.applyBatch(batch);
    }

    @Override
    public void applyBatchWithoutWal(StateWriteBatch batch) {
      delegate.applyBatchWithoutWal(batch);
    }

    @Override
    public void flush() {
      delegate.flush();
    }

    @Override
    public Path directory() {
      return delegate.directory();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
