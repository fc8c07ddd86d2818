package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.KeyValueStore;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackends;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;

/** All tasks of one backend share one block cache and one write-buffer budget. */
class RocksDbMemoryBudgetTest {
  private static final long BUDGET = 16L << 20;
  private static final int TASKS = 6;

  @TempDir Path directory;

  @Test
  void manyTasksStayWithinOneSharedBudget() throws RocksDBException {
    RocksDbSettings settings = RocksDbSettings.of(directory).withMemoryBytes(BUDGET);
    try (RocksDbBackend backend = (RocksDbBackend) StateBackends.rocksDb(settings)) {
      List<RocksDbTaskStateStore> tasks = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        tasks.add((RocksDbTaskStateStore) backend.open("0_" + i, List.of("a", "b")));
      }
      Random random = new Random(1);
      byte[] value = new byte[1024];
      // 6 tasks x 2 stores x 2 MiB = 24 MiB written, three times the 8 MiB write-buffer share.
      for (int i = 0; i < 2048; i++) {
        for (RocksDbTaskStateStore task : tasks) {
          for (String store : List.of("a", "b")) {
            random.nextBytes(value);
            KeyValueStore kv = task.store(store);
            kv.put(ByteBuffer.allocate(4).putInt(i).array(), value);
          }
        }
      }
      long memtables = 0;
      for (RocksDbTaskStateStore task : tasks) {
        for (String store : List.of("a", "b")) {
          memtables +=
              task.db()
                  .getLongProperty(task.storeImpl(store).handle(), "rocksdb.size-all-mem-tables");
        }
      }
      long cacheUsage = backend.tuning().cache().getUsage();
      // Without the shared write-buffer manager the memtables would hold all 24 MiB written.
      assertThat(memtables).as("memtables of all tasks").isLessThan(BUDGET * 3 / 4);
      assertThat(cacheUsage)
          .as("memtables are charged to the shared cache")
          .isGreaterThanOrEqualTo(memtables / 2)
          .isLessThanOrEqualTo(BUDGET + (BUDGET / 4));
      for (RocksDbTaskStateStore task : tasks) {
        assertThat(task.store("a").approximateNumEntries()).isBetween(1500L, 2600L);
        task.close();
      }
    }
  }
}
