package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.hex;
import static dev.weir.store.TestBytes.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RocksDbTaskStateStoreTest extends TaskStateStoreContractTest {
  @Override
  StateBackend createBackend(Path directory) {
    return StateBackends.rocksDb(RocksDbSettings.of(directory));
  }

  private void reopen(String... storeNames) {
    state.close();
    backend.close();
    backend = createBackend(directory);
    state = backend.open("1_2", List.of(storeNames));
  }

  @Test
  void livesInStateDirTaskIdRocksdb() {
    assertThat(state.directory()).isEqualTo(directory.resolve("1_2").resolve("rocksdb"));
    assertThat(state.directory().resolve("CURRENT")).exists();
  }

  @Test
  void reopenKeepsCommittedDataAndOffsets() {
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.put("a", bytes(1), bytes(10));
      batch.put("b", bytes(2), bytes(20));
      batch.putOffset("app-a-changelog-2", 41);
      state.applyBatch(batch);
    }
    state.store("a").put(bytes(3), bytes(30));
    reopen("a", "b");
    assertThat(keys(state.store("a").all())).containsExactly("01", "03");
    assertThat(hex(state.store("b").get(bytes(2)))).isEqualTo("14");
    assertThat(state.committedOffsets()).isEqualTo(Map.of("app-a-changelog-2", 41L));
  }

  @Test
  void reopenFindsStoresNotRequestedAndCreatesMissingOnes() {
    state.store("b").put(bytes(1), bytes(1));
    reopen("a", "c");
    assertThat(state.storeNames()).containsExactly("a", "b", "c");
    assertThat(keys(state.store("b").all())).containsExactly("01");
    assertThat(keys(state.store("c").all())).isEmpty();
  }

  @Test
  void unloggedBatchesSurviveACleanClose() {
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.put("a", bytes(1), bytes(1));
      batch.putOffset("a-0", 8);
      state.applyBatchWithoutWal(batch);
    }
    reopen("a", "b");
    assertThat(keys(state.store("a").all())).containsExactly("01");
    assertThat(state.committedOffsets()).isEqualTo(Map.of("a-0", 8L));
  }

  @Test
  void deleteStateRemovesTheTaskDirectory() {
    state.store("a").put(bytes(1), bytes(1));
    Path taskDirectory = directory.resolve("1_2");
    state.close();
    backend.deleteState("1_2");
    assertThat(taskDirectory).doesNotExist();
    backend.deleteState("1_2");
    state = backend.open("1_2", List.of("a"));
    assertThat(keys(state.store("a").all())).isEmpty();
  }

  @Test
  void aSecondBackendOnTheSameDirectoryCannotOpenAnOpenTask() {
    try (StateBackend second = createBackend(directory)) {
      assertThatThrownBy(() -> second.open("1_2", List.of("a")))
          .isInstanceOf(StateStoreException.class)
          .hasMessageContaining("1_2")
          .hasMessageContaining("another process");
      try (TaskStateStore other = second.open("1_3", List.of("a"))) {
        assertThat(other.storeNames()).containsExactly("a");
      }
    }
  }

  @Test
  void createsAMissingStateDirectory() {
    Path nested = directory.resolve("x").resolve("y");
    try (StateBackend other = createBackend(nested);
        TaskStateStore task = other.open("0_0", List.of("a"))) {
      assertThat(Files.isDirectory(task.directory())).isTrue();
    }
  }
}
