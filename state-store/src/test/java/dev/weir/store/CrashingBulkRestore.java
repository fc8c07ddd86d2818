package dev.weir.store;

import dev.weir.store.BulkRestoreTest.Rec;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by {@link BulkRestoreTest}: bulk-restores part of a changelog in chunks (each
 * followed by its offsets, in unlogged batches never flushed), ingests one more chunk without its
 * offsets, then halts without closing anything, as a crash would.
 */
final class CrashingBulkRestore {
  private CrashingBulkRestore() {}

  /** Arguments: state directory, changelog size, seed, records restored before the crash. */
  public static void main(String[] args) {
    Path directory = Path.of(args[0]);
    List<Rec> log = BulkRestoreTest.changelog(Integer.parseInt(args[1]), Long.parseLong(args[2]));
    int restored = Integer.parseInt(args[3]);
    StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
    TaskStateStore state = backend.open("0_3", BulkRestoreTest.STORES);
    RestoreBatchWriter writer =
        new RestoreBatchWriter(state, 1000, RestoreListener.noOp(), 0, new BulkLoadBudget(1 << 30));
    writer.begin("a", BulkRestoreTest.A, 0, BulkRestoreTest.end(log, BulkRestoreTest.A));
    writer.begin("b", BulkRestoreTest.B, 0, BulkRestoreTest.end(log, BulkRestoreTest.B));
    for (int i = 0; i < restored; i++) {
      Rec r = log.get(i);
      writer.add(r.partition(), r.offset(), r.key(), r.value());
      if (i % 1500 == 1499) {
        writer.applyPending();
      }
    }
    BulkLoad load = state.newBulkLoad();
    for (int i = restored; i < restored + 2000 && i < log.size(); i++) {
      BulkRestoreTest.bulkAdd(load, log.get(i));
    }
    load.ingest();
    Runtime.getRuntime().halt(0);
  }
}
