package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.hex;
import static dev.weir.store.TestBytes.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rocksdb.DBOptions;

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
  void aTaskIsUnusedSinceItsLastOpenOrClose() throws IOException {
    Path taskDirectory = directory.resolve("1_2");
    Files.setLastModifiedTime(taskDirectory, FileTime.fromMillis(1_000));
    state.close();
    long closedAt = lastModified(taskDirectory);
    assertThat(closedAt).as("close marks a use").isGreaterThan(1_000);
    assertThat(backend.deleteUnusedState("1_2", closedAt)).isFalse();

    Files.setLastModifiedTime(taskDirectory, FileTime.fromMillis(1_000));
    backend.open("1_2", List.of("a")).close();
    Files.setLastModifiedTime(taskDirectory, FileTime.fromMillis(1_000));
    state = backend.open("1_2", List.of("a"));
    assertThat(lastModified(taskDirectory)).as("open marks a use").isGreaterThan(1_000);
    state.close();

    long lastUse = lastModified(taskDirectory);
    assertThat(backend.deleteUnusedState("1_2", lastUse)).isFalse();
    assertThat(backend.deleteUnusedState("1_2", lastUse + 1)).isTrue();
    assertThat(taskDirectory).doesNotExist();
    assertThat(backend.deleteUnusedState("1_2", Long.MAX_VALUE)).isFalse();
    state = backend.open("1_2", List.of("a"));
  }

  @Test
  void onlyTaskDirectoriesAreListedOrDeleted() throws IOException {
    backend.open("0_3", List.of("a")).close();
    Files.createDirectories(directory.resolve("not a task"));
    Files.writeString(directory.resolve("instance.id"), "x");
    Path foreign = Files.createDirectories(directory.resolve("9_9"));
    Files.writeString(foreign.resolve("notes.txt"), "keep me");
    Path halfDeleted = Files.createDirectories(directory.resolve("4_4"));

    assertThat(backend.storedTasks()).containsExactly("0_3", "1_2", "4_4");
    assertThat(backend.deleteUnusedState("9_9", Long.MAX_VALUE)).isFalse();
    assertThat(foreign.resolve("notes.txt")).exists();
    assertThat(backend.deleteUnusedState("4_4", Long.MAX_VALUE)).isTrue();
    assertThat(halfDeleted).doesNotExist();
    assertThat(backend.deleteUnusedState("0_3", Long.MAX_VALUE)).isTrue();
    assertThat(backend.storedTasks()).containsExactly("1_2");
  }

  @Test
  void aTaskBeingOpenedIsNotDeleted() throws Exception {
    CountDownLatch opening = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    AtomicBoolean hold = new AtomicBoolean();
    RocksDbOptionsSetter holdOpen =
        new RocksDbOptionsSetter() {
          @Override
          public void setDbOptions(String taskId, DBOptions options) {
            if (hold.get()) {
              opening.countDown();
              try {
                proceed.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            }
          }
        };
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (StateBackend held =
        StateBackends.rocksDb(
            RocksDbSettings.of(directory.resolve("held")).withOptionsSetter(holdOpen))) {
      try (TaskStateStore task = held.open("5_5", List.of("a"))) {
        task.store("a").put(bytes(1), bytes(1));
      }
      hold.set(true);
      Future<TaskStateStore> reopened = thread.submit(() -> held.open("5_5", List.of("a")));
      assertThat(opening.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(held.deleteUnusedState("5_5", Long.MAX_VALUE)).isFalse();
      proceed.countDown();
      try (TaskStateStore task = reopened.get(60, TimeUnit.SECONDS)) {
        assertThat(keys(task.store("a").all())).containsExactly("01");
      }
    } finally {
      proceed.countDown();
      thread.shutdown();
      assertThat(thread.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static long lastModified(Path path) throws IOException {
    return Files.getLastModifiedTime(path).toMillis();
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
