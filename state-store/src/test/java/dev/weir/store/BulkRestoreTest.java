package dev.weir.store;

import static dev.weir.store.TestBytes.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores through the bulk-load path (sorted files ingested into RocksDB, design record 019) and
 * compares the stores, byte for byte, with a restore of the same changelog through batches: keys
 * written many times across chunk boundaries, tombstones, keys with high (unsigned) bytes, and
 * restores interrupted between chunks, with the offsets lost or kept, then resumed.
 */
class BulkRestoreTest {
  static final TopicPartition A = new TopicPartition("app-a-changelog", 3);
  static final TopicPartition B = new TopicPartition("app-b-changelog", 3);
  static final List<String> STORES = List.of("a", "b");

  @TempDir Path directory;

  /** One changelog record; {@code value} in {@link ChangelogFormat}, or null for a tombstone. */
  record Rec(TopicPartition partition, long offset, byte[] key, byte[] value) {}

  /** What a restore left: the entries of each store in hex, and the committed offsets. */
  record Contents(Map<String, Map<String, String>> stores, Map<String, Long> offsets) {}

  /**
   * {@code n} records over 2,000 keys of both partitions (each key written about n / 2,000 times),
   * one in ten a tombstone, values of 0 to 2,000 bytes. Keys start with 0x00, 0x7f, 0x80 or 0xff so
   * that a signed sort would put them in another order than RocksDB's.
   */
  static List<Rec> changelog(int n, long seed) {
    Random random = new Random(seed);
    long[] next = new long[2];
    List<Rec> log = new ArrayList<>();
    int[] firstBytes = {0x00, 0x7f, 0x80, 0xff};
    for (int i = 0; i < n; i++) {
      int k = random.nextInt(2000);
      int p = k % 2;
      // Keys k with the same k / 8 and first byte differ only in length: prefixes of each other.
      byte[] key = new byte[2 + k % 8];
      key[0] = (byte) firstBytes[(k / 7) % 4];
      key[1] = (byte) (k / 8);
      byte[] value = null;
      if (random.nextInt(10) != 0) {
        byte[] payload = new byte[random.nextInt(2001)];
        random.nextBytes(payload);
        value = ChangelogFormat.encodeValue(payload);
      }
      log.add(new Rec(p == 0 ? A : B, next[p]++, key, value));
    }
    return log;
  }

  static long end(List<Rec> log, TopicPartition tp) {
    return log.stream().filter(r -> r.partition().equals(tp)).count();
  }

  /**
   * Restores {@code log} into the task state in {@code dir}, resuming from its committed offsets,
   * and returns what the stores then hold.
   *
   * @param threshold bulk threshold (-1: batches only)
   * @param budgetBytes the session budget; 0 ingests a chunk every {@link
   *     RestoreBatchWriter#MIN_CHUNK_BYTES}
   * @param applyEvery also apply (ingest) after this many records, 0 never
   */
  private Contents restore(
      Path dir, List<Rec> log, long threshold, long budgetBytes, int applyEvery) {
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
        TaskStateStore state = backend.open("0_3", STORES)) {
      Map<String, Long> committed = state.committedOffsets();
      long fromA = committed.getOrDefault(A.toString(), 0L);
      long fromB = committed.getOrDefault(B.toString(), 0L);
      try (RestoreBatchWriter writer =
          new RestoreBatchWriter(
              state, 1000, RestoreListener.noOp(), threshold, new BulkLoadBudget(budgetBytes))) {
        writer.begin("a", A, fromA, end(log, A));
        writer.begin("b", B, fromB, end(log, B));
        int added = 0;
        for (Rec r : log) {
          long from = r.partition().equals(A) ? fromA : fromB;
          if (r.offset() >= from) {
            writer.add(r.partition(), r.offset(), r.key(), r.value());
            if (applyEvery > 0 && ++added % applyEvery == 0) {
              writer.applyPending();
            }
          }
        }
        assertThat(writer.isBulk()).as("bulk mode").isEqualTo(threshold >= 0);
        writer.finish();
      }
      return contents(state);
    }
  }

  private static Contents contents(TaskStateStore state) {
    Map<String, Map<String, String>> stores = new TreeMap<>();
    for (String store : STORES) {
      stores.put(store, entries(state.store(store).all()));
    }
    return new Contents(stores, state.committedOffsets());
  }

  private Contents batchRestore(List<Rec> log) {
    return restore(directory.resolve("batches"), log, RestoreBatchWriter.NEVER, 0, 0);
  }

  @Test
  void bulkRestoreLeavesTheSameBytesAsBatches() {
    List<Rec> log = changelog(20_000, 1);
    Contents expected = batchRestore(log);
    assertThat(expected.stores().get("a")).hasSizeGreaterThan(500);
    assertThat(expected.offsets())
        .isEqualTo(Map.of(A.toString(), end(log, A), B.toString(), end(log, B)));

    // One chunk (default budget), chunks of 4 MiB (about 5), and chunks of 997 records.
    assertThat(restore(directory.resolve("one"), log, 0, BulkLoadBudget.DEFAULT_BYTES, 0))
        .isEqualTo(expected);
    assertThat(restore(directory.resolve("mib"), log, 0, 0, 0)).isEqualTo(expected);
    assertThat(restore(directory.resolve("small"), log, 0, BulkLoadBudget.DEFAULT_BYTES, 997))
        .isEqualTo(expected);
  }

  /**
   * Keys of each partition in strictly ascending order, as a compacted changelog read from its
   * start holds them (the bulk load then neither sorts nor looks for duplicates), written twice:
   * the second pass, also ascending, overwrites or deletes every key, so a chunk that holds the end
   * of the first pass and the start of the second is out of order, and later chunks must win.
   */
  static List<Rec> ascendingChangelog(int keysPerPass, long seed) {
    Random random = new Random(seed);
    long[] next = new long[2];
    List<Rec> log = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      for (int k = 0; k < keysPerPass; k++) {
        int p = k % 2;
        // Big-endian with a first byte of 0x7f or 0x80 (unsigned order matters), 3 or 4 bytes long.
        byte[] key = {(byte) (0x7f + k / 50_000), (byte) (k >> 8), (byte) k, 0};
        if (k % 3 == 0) {
          key = java.util.Arrays.copyOf(key, 3);
        }
        byte[] value = null;
        if (pass == 0 || random.nextInt(4) != 0) {
          byte[] payload = new byte[random.nextInt(300)];
          random.nextBytes(payload);
          value = ChangelogFormat.encodeValue(payload);
        }
        log.add(new Rec(p == 0 ? A : B, next[p]++, key, value));
      }
    }
    return log;
  }

  @Test
  void keysInAscendingOrderRestoreToTheSameBytesAsBatches() {
    List<Rec> log = ascendingChangelog(60_000, 7);
    Contents expected = batchRestore(log);
    assertThat(expected.stores().get("a")).hasSizeGreaterThan(20_000);
    assertThat(restore(directory.resolve("one"), log, 0, BulkLoadBudget.DEFAULT_BYTES, 0))
        .isEqualTo(expected);
    assertThat(restore(directory.resolve("mib"), log, 0, 0, 0)).isEqualTo(expected);
    assertThat(restore(directory.resolve("small"), log, 0, BulkLoadBudget.DEFAULT_BYTES, 997))
        .isEqualTo(expected);
    // Only the first pass: every chunk ascending with distinct keys.
    List<Rec> firstPass = log.subList(0, 60_000);
    Contents once = restore(directory.resolve("batches-once"), firstPass, -1, 0, 0);
    assertThat(restore(directory.resolve("once"), firstPass, 0, 0, 0)).isEqualTo(once);
  }

  @Test
  void aRestoreStoppedBetweenChunksResumesToTheSameBytes() {
    List<Rec> log = changelog(12_000, 2);
    Contents expected = batchRestore(log);
    Path dir = directory.resolve("bulk");
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
        TaskStateStore state = backend.open("0_3", STORES);
        RestoreBatchWriter writer =
            new RestoreBatchWriter(
                state, 1000, RestoreListener.noOp(), 0, new BulkLoadBudget(1 << 30))) {
      writer.begin("a", A, 0, end(log, A));
      writer.begin("b", B, 0, end(log, B));
      for (int i = 0; i < 7_000; i++) {
        Rec r = log.get(i);
        writer.add(r.partition(), r.offset(), r.key(), r.value());
        if (i == 2_999) {
          writer.applyPending();
        }
      }
      // Stopped here: the second chunk (records 3,000 to 6,999) is dropped, not ingested.
      assertThat(state.committedOffsets().values().stream().mapToLong(Long::longValue).sum())
          .isEqualTo(3_000);
    }
    assertThat(restore(dir, log, 0, BulkLoadBudget.DEFAULT_BYTES, 0)).isEqualTo(expected);
  }

  @Test
  void storesAheadOfTheirOffsetsResumeToTheSameBytes() {
    // A crash after a chunk was ingested but before its offsets were written: the next restore
    // replays records the stores already hold.
    List<Rec> log = changelog(12_000, 3);
    Contents expected = batchRestore(log);
    Path dir = directory.resolve("bulk");
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
        TaskStateStore state = backend.open("0_3", STORES)) {
      try (RestoreBatchWriter writer =
          new RestoreBatchWriter(
              state, 1000, RestoreListener.noOp(), 0, new BulkLoadBudget(1 << 30))) {
        writer.begin("a", A, 0, end(log, A));
        writer.begin("b", B, 0, end(log, B));
        for (int i = 0; i < 4_000; i++) {
          Rec r = log.get(i);
          writer.add(r.partition(), r.offset(), r.key(), r.value());
        }
        writer.applyPending();
      }
      try (BulkLoad load = state.newBulkLoad()) {
        for (int i = 4_000; i < 9_000; i++) {
          bulkAdd(load, log.get(i));
        }
        load.ingest();
      }
    }
    assertThat(restore(dir, log, 0, BulkLoadBudget.DEFAULT_BYTES, 0)).isEqualTo(expected);
  }

  /** Adds a changelog record to a bulk load as the restore does, without its offset. */
  static void bulkAdd(BulkLoad load, Rec r) {
    String store = r.partition().equals(A) ? "a" : "b";
    if (r.value() == null) {
      load.delete(store, r.key());
    } else {
      int from = ChangelogFormat.PAYLOAD_OFFSET;
      load.put(store, r.key(), r.value(), from, r.value().length - from);
    }
  }

  @Test
  void aCrashMidRestoreResumesToTheSameBytes() throws Exception {
    List<Rec> log = changelog(12_000, 6);
    Contents expected = batchRestore(log);
    Path dir = directory.resolve("crashed");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingBulkRestore.class.getName(),
                dir.toString(),
                "12000",
                "6",
                "6000")
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("child.log").toFile())
            .start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    assertThat(child.exitValue()).as("child exit code, see child.log").isZero();
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
        TaskStateStore state = backend.open("0_3", STORES)) {
      // The offsets were in unlogged batches that no flush reached, so they are lost with the
      // memtables (or at most cover the 6,000 records the writer applied); the ingested files
      // survived, the last one with no offset at all: the stores are ahead of the offsets.
      long offsets = state.committedOffsets().values().stream().mapToLong(Long::longValue).sum();
      assertThat(offsets).isLessThanOrEqualTo(6_000);
      assertThat(entries(state.store("a").all())).isNotEmpty();
    }
    assertThat(restore(dir, log, 0, BulkLoadBudget.DEFAULT_BYTES, 0)).isEqualTo(expected);
  }

  @Test
  void aBatchRestoreResumesWhatABulkRestoreBegan() {
    List<Rec> log = changelog(8_000, 4);
    Contents expected = batchRestore(log);
    Path dir = directory.resolve("mixed");
    restore(dir, log.subList(0, 5_000), 0, BulkLoadBudget.DEFAULT_BYTES, 0);
    assertThat(restore(dir, log, RestoreBatchWriter.NEVER, 0, 0)).isEqualTo(expected);
  }

  @Test
  void smallRestoresAndBackendsWithoutBulkLoadWriteBatches() {
    List<Rec> log = changelog(100, 5);
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
        TaskStateStore state = backend.open("0_3", STORES);
        RestoreBatchWriter writer =
            new RestoreBatchWriter(state, 1000, RestoreListener.noOp(), 101, null)) {
      writer.begin("a", A, 0, 100);
      writer.add(A, 0, log.get(0).key(), ChangelogFormat.encodeValue(new byte[1]));
      assertThat(writer.isBulk()).as("100 records to restore, threshold 101").isFalse();
    }
    try (StateBackend backend = StateBackends.inMemory();
        TaskStateStore state = backend.open("0_3", STORES);
        RestoreBatchWriter writer =
            new RestoreBatchWriter(state, 1000, RestoreListener.noOp(), 0, null)) {
      writer.begin("a", A, 0, 100);
      writer.add(A, 0, log.get(0).key(), ChangelogFormat.encodeValue(new byte[1]));
      assertThat(writer.isBulk()).as("in memory").isFalse();
      writer.finish();
      assertThat(state.store("a").get(log.get(0).key())).hasSize(1);
    }
  }

  @Test
  void aBulkLoadRejectsUnknownStoresAndDeletesLeftoverFiles() throws IOException {
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
        TaskStateStore state = backend.open("0_3", STORES)) {
      Path leftover = state.directory().resolve("weir-ingest-7.sst");
      Files.write(leftover, new byte[] {1, 2, 3});
      try (BulkLoad load = state.newBulkLoad()) {
        assertThat(leftover).doesNotExist();
        assertThatThrownBy(() -> load.put("nope", new byte[] {1}, new byte[] {2}, 0, 1))
            .isInstanceOf(IllegalArgumentException.class);
        load.put("a", new byte[] {1}, new byte[] {9, 2, 3}, 1, 2);
        load.put("a", new byte[] {1}, new byte[] {9, 4, 5}, 1, 2);
        assertThat(load.size()).isEqualTo(2);
        load.ingest();
        assertThat(load.size()).isZero();
        assertThat(load.bufferedBytes()).isZero();
      }
      assertThat(state.store("a").get(new byte[] {1})).containsExactly(4, 5);
      try (Stream<Path> files = Files.list(state.directory())) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .noneMatch(f -> f.startsWith("weir-ingest-"));
      }
    }
  }
}
