package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateWriteBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits with and without RocksDB's write-ahead log ({@link RocksDbSettings#withCommitWal}): what
 * reaches the log files, and the flush that bounds how old unlogged state can get.
 */
class RocksDbCommitWalTest {
  private static final int KEYS = 2_000;

  @TempDir Path directory;

  @Test
  void commitsGoThroughTheWalByDefault() throws IOException {
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
        RocksDbTaskStateStore state = open(backend)) {
      commit(state, 1);
      assertThat(bytesIn(state.directory(), ".log")).isGreaterThan(KEYS * 100L);
      assertThat(bytesIn(state.directory(), ".sst")).isZero();
    }
  }

  @Test
  void commitsWithoutTheWalLeaveTheLogEmptyUntilAFlush() throws IOException {
    try (StateBackend backend =
            StateBackends.rocksDb(RocksDbSettings.of(directory).withCommitWal(false));
        RocksDbTaskStateStore state = open(backend)) {
      commit(state, 1);
      commit(state, 2);
      assertThat(bytesIn(state.directory(), ".log")).isLessThan(1024);
      assertThat(bytesIn(state.directory(), ".sst")).as("no flush within the interval").isZero();
      assertThat(state.committedOffsets()).containsEntry("app-s-changelog-0", 2L);
    }
  }

  @Test
  void aCommitWithoutTheWalFlushesOnceTheLastFlushIsOldEnough() throws IOException {
    try (StateBackend backend =
            StateBackends.rocksDb(RocksDbSettings.of(directory).withCommitWal(false));
        RocksDbTaskStateStore state = open(backend)) {
      state.commitFlushInterval(0);
      commit(state, 1);
      assertThat(bytesIn(state.directory(), ".sst")).isGreaterThan(0);
      assertThat(bytesIn(state.directory(), ".log")).isLessThan(1024);
    }
  }

  private static RocksDbTaskStateStore open(StateBackend backend) {
    return (RocksDbTaskStateStore) backend.open("0_0", List.of("s"));
  }

  private static void commit(RocksDbTaskStateStore state, long offset) {
    byte[] value = new byte[100];
    try (StateWriteBatch batch = state.newWriteBatch()) {
      for (int i = 0; i < KEYS; i++) {
        batch.put("s", String.format("%d-%05d", offset, i).getBytes(), value);
      }
      batch.putOffset("app-s-changelog-0", offset);
      state.applyBatch(batch);
    }
  }

  private static long bytesIn(Path dir, String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .sum();
    }
  }
}
