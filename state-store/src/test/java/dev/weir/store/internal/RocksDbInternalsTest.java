package dev.weir.store.internal;

import static dev.weir.store.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.RocksDbOptionsSetter;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateFormatException;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDBException;

/** RocksDB behaviour that needs a look inside: flush ordering, refused formats, tuning hook. */
class RocksDbInternalsTest {
  @TempDir Path directory;

  private static long level0Files(RocksDbTaskStateStore task, String store)
      throws RocksDBException {
    return Long.parseLong(
        task.db().getProperty(task.storeImpl(store).handle(), "rocksdb.num-files-at-level0"));
  }

  @Test
  void aLoggedWriteAfterUnloggedBatchesFlushesThemFirst() throws RocksDBException {
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
        RocksDbTaskStateStore task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a"))) {
      task.store("a").put(bytes(1), bytes(1));
      assertThat(level0Files(task, "a")).as("logged writes alone do not flush").isZero();
      try (StateWriteBatch batch = task.newWriteBatch()) {
        batch.put("a", bytes(2), bytes(2));
        task.applyBatchWithoutWal(batch);
      }
      assertThat(level0Files(task, "a")).isZero();
      task.store("a").put(bytes(3), bytes(3));
      assertThat(level0Files(task, "a")).isEqualTo(1);
      task.store("a").put(bytes(4), bytes(4));
      assertThat(level0Files(task, "a")).as("only once").isEqualTo(1);
    }
  }

  @Test
  void metadataOfAFutureVersionIsRefusedWithoutLeakingTheTask() throws RocksDBException {
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory))) {
      try (RocksDbTaskStateStore task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a"))) {
        task.db().put(task.metadataHandle(), bytes(0x02, 0x01, 'x'), bytes(0x02));
      }
      for (int attempt = 0; attempt < 2; attempt++) {
        assertThatThrownBy(() -> backend.open("0_0", List.of("a")))
            .isInstanceOf(StateFormatException.class)
            .hasMessageContaining("task 0_0")
            .hasMessageContaining("version 0x02")
            .hasMessageContaining("upgrade Weir");
      }
      backend.deleteState("0_0");
      try (TaskStateStore task = backend.open("0_0", List.of("a"))) {
        assertThat(task.committedOffsets()).isEmpty();
      }
    }
  }

  @Test
  void anOptionsSetterThatThrowsAnErrorLeavesTheTaskOpenableAndTheBackendClosable() {
    RocksDbOptionsSetter failing =
        new RocksDbOptionsSetter() {
          @Override
          public void setColumnFamilyOptions(
              String taskId, String storeName, ColumnFamilyOptions options) {
            throw new AssertionError("setter bug");
          }
        };
    try (StateBackend backend =
        StateBackends.rocksDb(RocksDbSettings.of(directory).withOptionsSetter(failing))) {
      assertThatThrownBy(() -> backend.open("0_1", List.of("a"))).hasMessage("setter bug");
      assertThatThrownBy(() -> backend.open("0_1", List.of("a"))).hasMessage("setter bug");
    }
  }

  @Test
  void optionsSetterSeesWeirsDefaultsForEveryStoreAndIsToldOfClose() {
    List<String> calls = new CopyOnWriteArrayList<>();
    RocksDbOptionsSetter setter =
        new RocksDbOptionsSetter() {
          @Override
          public void setDbOptions(String taskId, DBOptions options) {
            calls.add("db " + taskId + " atomicFlush=" + options.atomicFlush());
          }

          @Override
          public void setColumnFamilyOptions(
              String taskId, String storeName, ColumnFamilyOptions options) {
            assertThat(options.compressionType()).isEqualTo(CompressionType.LZ4_COMPRESSION);
            assertThat(options.maxWriteBufferNumber())
                .isEqualTo(RocksDbTuning.MAX_WRITE_BUFFER_NUMBER);
            assertThat(options.arenaBlockSize()).isEqualTo(RocksDbTuning.ARENA_BLOCK_BYTES);
            calls.add("cf " + taskId + " " + storeName);
            options.setWriteBufferSize(1L << 20);
          }

          @Override
          public void close(String taskId) {
            calls.add("close " + taskId);
          }
        };
    RocksDbSettings settings = RocksDbSettings.of(directory).withOptionsSetter(setter);
    try (StateBackend backend = StateBackends.rocksDb(settings)) {
      backend.open("0_7", List.of("b", "a")).close();
    }
    assertThat(calls)
        .containsExactly("db 0_7 atomicFlush=true", "cf 0_7 a", "cf 0_7 b", "close 0_7");
  }

  @Test
  void aFailingOptionsSetterFailsTheOpenCleanly() {
    List<String> closed = new CopyOnWriteArrayList<>();
    RocksDbOptionsSetter setter =
        new RocksDbOptionsSetter() {
          @Override
          public void setColumnFamilyOptions(
              String taskId, String storeName, ColumnFamilyOptions options) {
            if (storeName.equals("bad")) {
              throw new IllegalStateException("no tuning for bad");
            }
          }

          @Override
          public void close(String taskId) {
            closed.add(taskId);
          }
        };
    RocksDbSettings settings = RocksDbSettings.of(directory).withOptionsSetter(setter);
    try (StateBackend backend = StateBackends.rocksDb(settings)) {
      assertThatThrownBy(() -> backend.open("0_0", List.of("a", "bad")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("no tuning for bad");
      assertThat(closed).containsExactly("0_0");
      try (TaskStateStore task = backend.open("0_0", List.of("a"))) {
        assertThat(task.storeNames()).containsExactly("a");
      }
    }
  }
}
