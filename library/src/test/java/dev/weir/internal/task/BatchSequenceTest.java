package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.ListStateDescriptor;
import dev.weir.store.BulkLoad;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateCache;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sequence of a task's next batch (design record 040): found at the first commit after the task
 * state opens from the keys of the markers the store holds, without reading a marker's value (a
 * window list's marker holds its whole batch, design record 039), and above every marker live in
 * the store, after a reopen and after a restore of the changelog (in batches, by bulk load, and
 * into the test driver's in-memory backend).
 */
class BatchSequenceTest {
  private static final String STORE = "op";
  private static final String TOPIC = "app-op-changelog";
  private static final List<TaskState.StoreSpec> SPECS =
      List.of(new TaskState.StoreSpec(STORE, TOPIC));

  @TempDir Path dir;
  private final List<StateBackend> backends = new ArrayList<>();
  private final ListStateLayoutTest.Changelog changelog = new ListStateLayoutTest.Changelog();
  private Counting base;
  private TaskState state;
  private OperatorStates states;
  private ListStateImpl<String> list;

  @AfterEach
  void close() {
    if (state != null) {
      state.close();
    }
    backends.forEach(StateBackend::close);
  }

  private StateBackend rocksDb(Path path) {
    StateBackend b =
        StateBackends.rocksDb(
            RocksDbSettings.of(path).withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE));
    backends.add(b);
    return b;
  }

  /** The task state over {@code store}, through a wrapper that counts the markers' values read. */
  private void wrap(TaskStateStore store) {
    base = new Counting(store);
    // Without a cache: an overlay with one reads the store's first entry at open, to tell whether
    // the store is empty, and a store's first entry is a marker when it holds one.
    state = TaskState.wrap(base, 0, SPECS, StateCache.disabled());
    states = new OperatorStates("op", STORE, state.store(STORE), () -> utf8("k"), () -> 0L, true);
    list = states.namespacedList("contents", new ListStateDescriptor<>("e", Serdes.String()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void add(String window, String... elements) {
    states.setNamespace(utf8(window));
    for (String e : elements) {
      list.add(e);
    }
  }

  private void clear(String window) {
    states.setNamespace(utf8(window));
    list.clear();
  }

  /** Commits; returns the sequences of the markers the commit wrote. */
  private List<Long> commit() {
    int from = changelog.committed.size();
    state.prepareCommit(changelog, 0);
    changelog.commitTransaction();
    state.postCommit();
    List<Long> written = new ArrayList<>();
    for (byte[][] r : changelog.committed.subList(from, changelog.committed.size())) {
      if (ChangelogFormat.isBatchKey(r[0]) && r[1] != null) {
        written.add(ChangelogFormat.batchSequence(r[0]));
      }
    }
    return written;
  }

  /** The sequences of the markers the store holds. */
  private TreeSet<Long> liveMarkers() {
    TreeSet<Long> sequences = new TreeSet<>();
    state.readCommitted(
        STORE,
        s -> {
          try (KeyValueIterator it = s.all()) {
            while (it.hasNext()) {
              byte[] k = it.next().key();
              if (ChangelogFormat.isBatchKey(k)) {
                sequences.add(ChangelogFormat.batchSequence(k));
              }
            }
          }
          return null;
        });
    return sequences;
  }

  /**
   * Batches in three commits, the list holding the highest sequence then cleared: the store holds
   * markers 0, 1 and 3 (2 and 4 are gone).
   */
  private void writeMarkers() {
    add("w1", "a", "b");
    add("w2", "c");
    assertThat(commit()).containsExactly(0L, 1L);
    add("w3", "d");
    assertThat(commit()).containsExactly(2L);
    clear("w3");
    add("w1", "e");
    add("w4", "f");
    assertThat(commit()).containsExactly(3L, 4L);
    clear("w4");
    assertThat(commit()).isEmpty();
    assertThat(liveMarkers()).containsExactly(0L, 1L, 3L);
  }

  /**
   * The first commit after the task state opened over {@code store}: no marker's value is read, and
   * its batches get sequences above every marker the store holds.
   */
  private void assertTheNextCommitReadsNoMarkerValueAndGoesAbove(long highestLive) {
    assertThat(liveMarkers().last()).isEqualTo(highestLive);
    base.markerValuesRead = 0;
    add("w5", "g");
    add("w1", "h");
    List<Long> written = commit();
    assertThat(base.markerValuesRead).as("marker values read by the commit").isZero();
    assertThat(written).containsExactly(highestLive + 1, highestLive + 2);
    states.setNamespace(utf8("w1"));
    assertThat(list.get()).containsExactly("a", "b", "e", "h");
  }

  @Test
  void afterAReopenTheSequenceGoesOnAboveTheLiveMarkersWithoutReadingTheirValues() {
    StateBackend backend = rocksDb(dir.resolve("local"));
    wrap(backend.open("0_0", List.of(STORE)));
    writeMarkers();
    state.close();
    wrap(backend.open("0_0", List.of(STORE)));
    assertTheNextCommitReadsNoMarkerValueAndGoesAbove(3);
  }

  /**
   * A pending clear of the list that holds the highest live marker hides that marker: the sequence
   * goes on above the markers live after the commit, as a range scan of the store would have found.
   */
  @Test
  void markersClearedInTheSameTransactionAreNotCounted() {
    StateBackend backend = rocksDb(dir.resolve("local"));
    wrap(backend.open("0_0", List.of(STORE)));
    writeMarkers();
    state.close();
    wrap(backend.open("0_0", List.of(STORE)));
    clear("w1"); // markers 0 and 3
    add("w6", "i");
    assertThat(commit()).containsExactly(2L);
    assertThat(base.markerValuesRead).isZero();
    assertThat(liveMarkers()).containsExactly(1L, 2L);
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, 0})
  void afterARestoreTheSequenceGoesOnAboveTheRestoredMarkersWithoutReadingTheirValues(
      long bulkThreshold) {
    wrap(rocksDb(dir.resolve("local")).open("0_0", List.of(STORE)));
    writeMarkers();
    state.close();
    state = null;
    TaskStateStore restored = rocksDb(dir.resolve("restored")).open("0_0", List.of(STORE));
    ChangelogReplay.restore(restored, STORE, TOPIC, changelog.committed, bulkThreshold);
    wrap(restored);
    assertTheNextCommitReadsNoMarkerValueAndGoesAbove(3);
  }

  /** The test driver's backend: in memory, with the runtime's rule. */
  @Test
  void inMemoryAfterARestoreTheSequenceGoesOnAboveTheRestoredMarkers() {
    StateBackend memory = StateBackends.inMemory(TaskState.BATCHES_STORED_WHOLE);
    backends.add(memory);
    wrap(memory.open("0_0", List.of(STORE)));
    writeMarkers();
    state.close();
    state = null;
    TaskStateStore restored = memory.open("0_0", List.of(STORE));
    ChangelogReplay.restore(restored, STORE, TOPIC, changelog.committed, -1);
    wrap(restored);
    assertTheNextCommitReadsNoMarkerValueAndGoesAbove(3);
  }

  /**
   * A task's stores that count the values of batch markers they hand out (by a point read or in a
   * range's entries); {@link KeyValueStore#forEachKey} hands out keys only, and is passed on.
   */
  private static final class Counting implements TaskStateStore {
    private final TaskStateStore delegate;
    long markerValuesRead;

    Counting(TaskStateStore delegate) {
      this.delegate = delegate;
    }

    private void count(byte[] key) {
      if (ChangelogFormat.isBatchKey(key)) {
        markerValuesRead++;
      }
    }

    private KeyValueIterator counted(KeyValueIterator it) {
      return new KeyValueIterator() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public KeyValueEntry next() {
          KeyValueEntry e = it.next();
          count(e.key());
          return e;
        }

        @Override
        public void close() {
          it.close();
        }
      };
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
          byte[] value = s.get(key);
          if (value != null) {
            count(key);
          }
          return value;
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
          return counted(s.range(fromInclusive, toExclusive));
        }

        @Override
        public void forEachKey(byte[] fromInclusive, byte[] toExclusive, Consumer<byte[]> action) {
          s.forEachKey(fromInclusive, toExclusive, action);
        }

        @Override
        public KeyValueIterator prefixScan(byte[] prefix) {
          return counted(s.prefixScan(prefix));
        }

        @Override
        public KeyValueIterator all() {
          return counted(s.all());
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
    public BulkLoad newBulkLoad() {
      return delegate.newBulkLoad();
    }

    @Override
    public Predicate<byte[]> batchesStoredWhole() {
      return delegate.batchesStoredWhole();
    }

    @Override
    public void noteBatchStoredWhole() {
      delegate.noteBatchStoredWhole();
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
