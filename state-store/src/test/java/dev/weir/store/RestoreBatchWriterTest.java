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
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consumer-independent part of changelog restore, on RocksDB. */
class RestoreBatchWriterTest {
  private static final TopicPartition A = new TopicPartition("app-a-changelog", 3);
  private static final TopicPartition B = new TopicPartition("app-b-changelog", 3);

  @TempDir Path directory;
  private StateBackend backend;
  private TaskStateStore state;
  private final List<String> events = new ArrayList<>();
  private final RestoreListener recorder =
      new RestoreListener() {
        @Override
        public void onStart(String store, TopicPartition partition, long start, long end) {
          events.add("start " + store + " " + partition + " " + start + ".." + end);
        }

        @Override
        public void onBatch(String store, TopicPartition partition, long restored, long total) {
          events.add("batch " + store + " " + restored + "/" + total);
        }

        @Override
        public void onEnd(String store, TopicPartition partition, long restored) {
          events.add("end " + store + " " + restored);
        }
      };

  @BeforeEach
  void open() {
    backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
    state = backend.open("0_3", List.of("a", "b"));
  }

  @AfterEach
  void close() {
    state.close();
    backend.close();
  }

  private static byte[] record(int value) {
    return ChangelogFormat.encodeValue(bytes(value));
  }

  @Test
  void largeValuesApplyABatchBeforeItHasBatchSizeRecords() {
    byte[] large = ChangelogFormat.encodeValue(new byte[1 << 20]);
    long perBatch = RestoreBatchWriter.MAX_BATCH_BYTES / large.length + 1;
    try (RestoreBatchWriter writer = new RestoreBatchWriter(state, 10_000, recorder)) {
      writer.begin("a", A, 0, 100);
      for (int offset = 0; offset < perBatch; offset++) {
        assertThat(state.committedOffsets()).as("nothing applied at offset " + offset).isEmpty();
        writer.add(A, offset, bytes(offset), large);
      }
      assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), perBatch));
      assertThat(state.store("a").get(bytes(0))).hasSize(1 << 20);
    }
  }

  @Test
  void appliesFullBatchesWithTheOffsetTheirRecordsReach() {
    try (RestoreBatchWriter writer = new RestoreBatchWriter(state, 3, recorder)) {
      writer.begin("a", A, 0, 10);
      for (int offset = 0; offset < 7; offset++) {
        writer.add(A, offset, bytes(offset), record(offset + 100));
        if (offset == 2) {
          assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 3L));
        }
      }
      assertThat(state.committedOffsets())
          .as("7th record still pending")
          .isEqualTo(Map.of(A.toString(), 6L));
      assertThat(state.store("a").get(bytes(6))).isNull();
      assertThat(writer.finish()).isEqualTo(Map.of("a", 7L));
    }
    assertThat(state.committedOffsets()).isEqualTo(Map.of("app-a-changelog-3", 7L));
    assertThat(hex(state.store("a").get(bytes(6)))).isEqualTo("6a");
    assertThat(events)
        .containsExactly(
            "start a app-a-changelog-3 0..10",
            "batch a 3/10",
            "batch a 6/10",
            "batch a 7/10",
            "end a 7");
  }

  @Test
  void tombstonesDeleteAndLaterRecordsWin() {
    state.store("a").put(bytes(1), bytes(1));
    try (RestoreBatchWriter writer = new RestoreBatchWriter(state, 100, recorder)) {
      writer.begin("a", A, 5, 9);
      writer.add(A, 5, bytes(1), null);
      writer.add(A, 6, bytes(2), record(20));
      writer.add(A, 7, bytes(2), record(21));
      writer.add(A, 8, bytes(3), record(30));
      writer.finish();
    }
    assertThat(entries(state.store("a").all()))
        .containsExactly(Map.entry("02", "15"), Map.entry("03", "1e"));
  }

  private static byte[] batch(byte[] scope, byte[]... keysAndValues) {
    ChangelogFormat.BatchBuilder b = new ChangelogFormat.BatchBuilder(scope.length);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      byte[] k = java.util.Arrays.copyOf(scope, scope.length + keysAndValues[i].length);
      System.arraycopy(keysAndValues[i], 0, k, scope.length, keysAndValues[i].length);
      b.add(k, keysAndValues[i + 1]);
    }
    return b.toValue();
  }

  /**
   * Record 024: a batch record restores its marker and its entries; its tombstone deletes the
   * marker and every key of its scope, written before it (in the store or still pending) and not
   * after it, and nothing outside the scope; in batches and by bulk load alike.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "bulk-load threshold {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {-1, 0})
  void batchRecordsExpandAndTheirTombstonesDeleteTheirScope(long bulkThreshold) {
    byte[] s1 = bytes(0x4a, 1);
    byte[] s2 = bytes(0x4a, 2);
    state.store("a").put(bytes(0x4a, 1, 9), bytes(9)); // in scope 1, from before the restore
    state.store("a").put(bytes(0x4a, 3), bytes(3)); // outside both scopes
    byte[] k1 = ChangelogFormat.batchKey(s1, 0);
    byte[] k1b = ChangelogFormat.batchKey(s1, 1);
    byte[] k2 = ChangelogFormat.batchKey(s2, 2);
    try (RestoreBatchWriter writer =
        new RestoreBatchWriter(state, 100, recorder, bulkThreshold, null)) {
      writer.begin("a", A, 0, 8);
      writer.add(A, 0, k1, batch(s1, bytes(1), bytes(11), bytes(2), bytes(12)));
      writer.add(A, 1, k2, batch(s2, bytes(1), bytes(21)));
      writer.add(A, 2, k1b, batch(s1, bytes(2), bytes(13)));
      writer.add(A, 3, bytes(0x4a, 0, 0xff), record(5)); // just below scope 1: stays
      writer.add(A, 4, k1, null);
      writer.add(A, 5, k1b, null);
      writer.add(A, 6, k2, batch(s2, bytes(1), bytes(22))); // a later batch key of scope 2
      writer.add(A, 7, ChangelogFormat.batchKey(s1, 3), batch(s1, bytes(4), bytes(14)));
      assertThat(writer.finish()).isEqualTo(Map.of("a", 8L));
    }
    assertThat(entries(state.store("a").all()))
        .containsExactly(
            Map.entry(hex(ChangelogFormat.batchKey(s1, 3)), ""),
            Map.entry(hex(k2), ""),
            Map.entry("4a00ff", "05"),
            Map.entry("4a0104", "0e"),
            Map.entry("4a0201", "16"),
            Map.entry("4a03", "03"));
    assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 8L));
    // A tombstone applies nothing early: in bulk mode each early apply is an ingested file, and a
    // join with many small segments has a tombstone every few records.
    assertThat(events).filteredOn(e -> e.startsWith("batch ")).containsExactly("batch a 8/8");
  }

  /**
   * Record 039: the restore tells the store before it writes the first batch kept whole, so that a
   * store holding one is marked for older releases, and never for batches it splits.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "bulk-load threshold {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {-1, 0})
  void theStoreIsToldBeforeItsFirstWholeBatchAndNotForSplitOnes(long bulkThreshold) {
    state.close();
    backend.close();
    backend =
        StateBackends.rocksDb(
            RocksDbSettings.of(directory).withBatchesStoredWhole(scope -> scope[0] == 0x4e));
    TaskStateStore rocks = backend.open("0_3", List.of("a", "b"));
    List<String> notes = new ArrayList<>();
    state =
        (TaskStateStore)
            java.lang.reflect.Proxy.newProxyInstance(
                TaskStateStore.class.getClassLoader(),
                new Class<?>[] {TaskStateStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("noteBatchStoredWhole")) {
                    notes.add("note@" + entries(rocks.store("a").all()).size());
                  }
                  try {
                    return method.invoke(rocks, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    byte[] j1 = bytes(0x4a, 1);
    byte[] n1 = bytes(0x4e, 1);
    try (RestoreBatchWriter writer =
        new RestoreBatchWriter(state, 100, recorder, bulkThreshold, null)) {
      writer.begin("a", A, 0, 3);
      writer.add(A, 0, ChangelogFormat.batchKey(j1, 0), batch(j1, bytes(1), bytes(31)));
      assertThat(notes).as("a split batch").isEmpty();
      writer.add(A, 1, ChangelogFormat.batchKey(n1, 1), batch(n1, bytes(1), bytes(11)));
      writer.add(A, 2, ChangelogFormat.batchKey(n1, 2), batch(n1, bytes(2), bytes(12)));
      assertThat(writer.finish()).isEqualTo(Map.of("a", 3L));
    }
    assertThat(notes).as("before anything was applied").startsWith("note@0");
    assertThat(entries(rocks.store("a").all())).hasSize(4);
  }

  /**
   * Record 039: a batch record of a scope the store keeps whole is written as its marker holding
   * the record's value, not split into entries; a version-3 batch's deletes also delete their keys
   * (an older layout's entries); its tombstone deletes the marker and the scope as before; other
   * scopes are split as before. In batches and by bulk load alike.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "bulk-load threshold {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {-1, 0})
  void batchRecordsOfScopesStoredWholeAreWrittenAsTheyAre(long bulkThreshold) {
    state.close();
    backend.close();
    backend =
        StateBackends.rocksDb(
            RocksDbSettings.of(directory).withBatchesStoredWhole(scope -> scope[0] == 0x4e));
    state = backend.open("0_3", List.of("a", "b"));
    byte[] n1 = bytes(0x4e, 1);
    byte[] n2 = bytes(0x4e, 2);
    byte[] j1 = bytes(0x4a, 1);
    state.store("a").put(bytes(0x4e, 1, 9), bytes(9)); // an older layout's element of n1
    state.store("a").put(bytes(0x4e, 2, 8), bytes(8)); // and one of n2
    byte[] k1 = ChangelogFormat.batchKey(n1, 0);
    byte[] k1b = ChangelogFormat.batchKey(n1, 1);
    byte[] k2 = ChangelogFormat.batchKey(n2, 2);
    byte[] kj = ChangelogFormat.batchKey(j1, 3);
    byte[] v1 = batch(n1, bytes(1), bytes(11), bytes(2), bytes(12));
    ChangelogFormat.BatchBuilder withDelete = new ChangelogFormat.BatchBuilder(n1.length);
    withDelete.add(bytes(0x4e, 1, 3), bytes(13));
    withDelete.addDelete(bytes(0x4e, 1, 9));
    byte[] v1b = withDelete.toValue();
    byte[] v2 = batch(n2, bytes(1), bytes(21));
    try (RestoreBatchWriter writer =
        new RestoreBatchWriter(state, 100, recorder, bulkThreshold, null)) {
      writer.begin("a", A, 0, 6);
      writer.add(A, 0, k1, v1);
      writer.add(A, 1, k2, v2);
      writer.add(A, 2, k1b, v1b);
      writer.add(A, 3, kj, batch(j1, bytes(1), bytes(31))); // another scope: split
      writer.add(A, 4, k2, null); // n2 goes: its marker and its older element
      writer.add(A, 5, bytes(0x4e, 2), record(7)); // a new header of n2 after it
      assertThat(writer.finish()).isEqualTo(Map.of("a", 6L));
    }
    assertThat(entries(state.store("a").all()))
        .containsExactly(
            Map.entry(hex(kj), ""),
            Map.entry(hex(k1), hex(v1)),
            Map.entry(hex(k1b), hex(v1b)),
            Map.entry("4a0101", "1f"),
            Map.entry("4e02", "07"));
    assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 6L));
  }

  @Test
  void advancingPastMarkersMovesTheOffsetButNeverBackNorBeyondTheEnd() {
    try (RestoreBatchWriter writer = new RestoreBatchWriter(state, 100, recorder)) {
      writer.begin("a", A, 0, 10);
      writer.add(A, 6, bytes(1), record(1));
      writer.advance(A, 3);
      writer.applyPending();
      assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 7L));
      writer.advance(A, 9);
      assertThat(writer.isComplete(A)).isFalse();
      writer.applyPending();
      assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 9L));
      writer.advance(A, 25);
      assertThat(writer.isComplete(A)).isTrue();
      writer.finish();
    }
    assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 10L));
  }

  @Test
  void storesShareBatchesAndOnlyTouchedPartitionsGetOffsets() {
    try (RestoreBatchWriter writer = new RestoreBatchWriter(state, 2, recorder)) {
      writer.begin("a", A, 0, 5);
      writer.begin("b", B, 40, 50);
      writer.add(A, 0, bytes(1), record(1));
      writer.add(A, 1, bytes(2), record(2));
      assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 2L));
      writer.add(B, 40, bytes(1), record(3));
      assertThat(writer.finish()).isEqualTo(Map.of("a", 2L, "b", 1L));
    }
    assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 2L, B.toString(), 41L));
    assertThat(keys(state.store("a").all())).containsExactly("01", "02");
    assertThat(keys(state.store("b").all())).containsExactly("01");
  }

  @Test
  void aBadRecordNamesItsPartitionAndOffsetAndKeepsEarlierBatches() {
    try (RestoreBatchWriter writer = new RestoreBatchWriter(state, 2, recorder)) {
      writer.begin("a", A, 0, 10);
      writer.add(A, 0, bytes(1), record(1));
      writer.add(A, 1, bytes(2), record(2));
      writer.add(A, 2, bytes(3), record(3));
      assertThatThrownBy(() -> writer.add(A, 3, bytes(4), bytes(9, 9)))
          .isInstanceOf(StateFormatException.class)
          .hasMessageContaining("offset 3 of app-a-changelog-3")
          .hasMessageContaining("version 0x09");
      assertThatThrownBy(() -> writer.add(A, 4, null, record(4)))
          .isInstanceOf(StateFormatException.class)
          .hasMessageContaining("offset 4 of app-a-changelog-3")
          .hasMessageContaining("no key");
    }
    assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 2L));
    assertThat(keys(state.store("a").all())).containsExactly("01", "02");
  }

  @Test
  void unflushedBatchesSurviveCloseAndReopenWithTheirOffsets() {
    try (RestoreBatchWriter writer = new RestoreBatchWriter(state, 2, recorder)) {
      writer.begin("a", A, 0, 10);
      for (int offset = 0; offset < 5; offset++) {
        writer.add(A, offset, bytes(offset), record(offset));
      }
    }
    state.close();
    state = backend.open("0_3", List.of("a", "b"));
    assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 4L));
    assertThat(keys(state.store("a").all())).containsExactly("00", "01", "02", "03");
  }

  @Test
  void resumingFromAnyEarlierOffsetConvergesToTheSameState() {
    List<byte[]> changelog = new ArrayList<>();
    for (int offset = 0; offset < 40; offset++) {
      changelog.add(offset % 7 == 6 ? null : record(offset));
    }
    replay(changelog, 0, 40);
    Map<String, String> expected = entries(state.store("a").all());
    for (int restartAt : new int[] {0, 13, 27}) {
      replay(changelog, restartAt, 40);
      assertThat(entries(state.store("a").all())).isEqualTo(expected);
    }
    assertThat(state.committedOffsets()).isEqualTo(Map.of(A.toString(), 40L));
  }

  private void replay(List<byte[]> changelog, int from, int to) {
    try (RestoreBatchWriter writer = new RestoreBatchWriter(state, 5, RestoreListener.noOp())) {
      writer.begin("a", A, from, to);
      for (int offset = from; offset < to; offset++) {
        writer.add(A, offset, bytes(offset % 5), changelog.get(offset));
      }
      writer.finish();
    }
  }
}
