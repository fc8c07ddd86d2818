package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes a writer in a child JVM (halt: no close, no flush, memtables lost) and checks what the
 * next open finds: data and offsets must agree, batch for batch.
 */
class RocksDbCrashConsistencyTest {
  @TempDir Path directory;

  @Test
  void unloggedBatchesSurviveAsACompletePrefixWithMatchingOffsets() throws Exception {
    crash("unlogged");
    assertCompletePrefixFlushedHalfWay();
  }

  @Test
  void commitsWithoutTheWalSurviveAsACompletePrefixWithMatchingOffsets() throws Exception {
    // state.rocksdb.commit.wal=false (design record 045): a crash may lose the commits since the
    // last flush, but only whole ones, data and offsets together.
    crash("commits-without-wal");
    assertCompletePrefixFlushedHalfWay();
  }

  /**
   * At least the batches before the writer's flush survived, and exactly those up to the offset.
   */
  private void assertCompletePrefixFlushedHalfWay() throws Exception {
    try (Reopened reopened = new Reopened(directory)) {
      long offset = reopened.offset();
      assertThat(offset).as("flushed half-way").isGreaterThanOrEqualTo(CrashingWriter.BATCHES / 2);
      for (int batch = 0; batch < CrashingWriter.BATCHES; batch++) {
        assertThat(reopened.keysOf(batch))
            .as("batch %d with offset %d", batch, offset)
            .isEqualTo(batch < offset ? CrashingWriter.KEYS_PER_BATCH : 0);
      }
    }
  }

  @Test
  void loggedBatchesAllSurvive() throws Exception {
    crash("logged");
    try (Reopened reopened = new Reopened(directory)) {
      assertThat(reopened.offset()).isEqualTo(CrashingWriter.BATCHES);
      assertThat(reopened.keysOf(CrashingWriter.BATCHES - 1))
          .isEqualTo(CrashingWriter.KEYS_PER_BATCH);
    }
  }

  @Test
  void aLoggedWriteNeverSurvivesWithoutTheUnloggedBatchesBeforeIt() throws Exception {
    crash("mixed");
    try (Reopened reopened = new Reopened(directory)) {
      assertThat(reopened.keysOf(CrashingWriter.BATCHES)).as("the logged write").isEqualTo(1);
      assertThat(reopened.offset()).isEqualTo(CrashingWriter.BATCHES);
      for (int batch = 0; batch < CrashingWriter.BATCHES; batch++) {
        assertThat(reopened.keysOf(batch)).isEqualTo(CrashingWriter.KEYS_PER_BATCH);
      }
    }
  }

  private void crash(String mode) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                directory.toString(),
                mode)
            .redirectErrorStream(true)
            .redirectOutput(directory.resolve("child.log").toFile())
            .start();
    assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
    assertThat(child.exitValue()).as("child exit code, see child.log").isZero();
  }

  /** The crashed state, reopened. */
  private static final class Reopened implements AutoCloseable {
    private final StateBackend backend;
    private final TaskStateStore state;

    Reopened(Path directory) {
      backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
      state = backend.open("0_0", List.of(CrashingWriter.STORE));
    }

    long offset() {
      return state.committedOffsets().getOrDefault(CrashingWriter.PARTITION, 0L);
    }

    int keysOf(int batch) {
      byte[] prefix = String.format("%03d-", batch).getBytes(StandardCharsets.UTF_8);
      return TestBytes.keys(state.store(CrashingWriter.STORE).prefixScan(prefix)).size();
    }

    @Override
    public void close() {
      state.close();
      backend.close();
    }
  }
}
