package dev.weir.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link RocksDbCrashConsistencyTest}: writes numbered batches of 1,000 keys,
 * each with offset {@code batch + 1}, then halts without closing anything, as a crash would.
 */
final class CrashingWriter {
  static final int BATCHES = 40;
  static final int KEYS_PER_BATCH = 1000;
  static final String STORE = "s";
  static final String PARTITION = "app-s-changelog-0";

  private CrashingWriter() {}

  static byte[] key(int batch, int index) {
    return String.format("%03d-%04d", batch, index).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Arguments: state directory, then {@code unlogged} (restore-style batches, one explicit flush
   * half-way), {@code logged} (commit-style batches), {@code mixed} (unlogged batches, then one
   * logged write), or {@code commits-without-wal} (commit-style batches of a backend whose commits
   * skip the WAL, one explicit flush half-way).
   */
  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    String mode = args[1];
    StateBackend backend =
        StateBackends.rocksDb(
            RocksDbSettings.of(directory)
                .withMemoryBytes(4L << 20)
                .withCommitWal(!mode.equals("commits-without-wal")));
    TaskStateStore state = backend.open("0_0", List.of(STORE));
    byte[] value = new byte[100];
    try (StateWriteBatch batch = state.newWriteBatch()) {
      for (int b = 0; b < BATCHES; b++) {
        for (int i = 0; i < KEYS_PER_BATCH; i++) {
          batch.put(STORE, key(b, i), value);
        }
        batch.putOffset(PARTITION, b + 1);
        if (mode.equals("logged") || mode.equals("commits-without-wal")) {
          state.applyBatch(batch);
        } else {
          state.applyBatchWithoutWal(batch);
        }
        batch.clear();
        if ((mode.equals("unlogged") || mode.equals("commits-without-wal"))
            && b == BATCHES / 2 - 1) {
          state.flush();
        }
      }
    }
    if (mode.equals("mixed")) {
      state.store(STORE).put(key(BATCHES, 0), value);
    }
    Runtime.getRuntime().halt(0);
  }
}
