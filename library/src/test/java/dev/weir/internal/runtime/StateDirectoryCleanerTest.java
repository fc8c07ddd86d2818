package dev.weir.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.weir.internal.task.TaskId;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.TaskStateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner deletes task state this instance stopped using, and nothing else. */
class StateDirectoryCleanerTest {
  private static final long DELAY = Duration.ofHours(1).toMillis();

  @TempDir Path directory;
  private StateBackend backend;
  private final AtomicLong clock = new AtomicLong();

  @BeforeEach
  void open() {
    backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
  }

  @AfterEach
  void close() {
    backend.close();
  }

  private StateDirectoryCleaner cleaner(Set<TaskId> assigned) {
    return new StateDirectoryCleaner(backend, directory, DELAY, () -> assigned, clock::get);
  }

  @Test
  void unusedStateIsDeletedOnceTheDelayHasPassed() {
    backend.open("0_1", List.of("s")).close();
    clock.set(System.currentTimeMillis()); // after the close: the task's last use
    StateDirectoryCleaner cleaner = cleaner(Set.of());

    assertThat(cleaner.clean()).as("used within the delay").isEmpty();
    assertThat(directory.resolve("0_1")).exists();

    clock.addAndGet(DELAY + 1_000);
    assertThat(cleaner.clean()).containsExactly("0_1");
    assertThat(directory.resolve("0_1")).doesNotExist();
    assertThat(cleaner.cleaned()).isEqualTo(1);
    assertThat(cleaner.clean()).isEmpty();
  }

  @Test
  void openAssignedAndForeignDirectoriesAreNeverDeleted() throws Exception {
    TaskStateStore open = backend.open("0_2", List.of("s"));
    backend.open("1_0", List.of("s")).close();
    backend.open("backup", List.of("s")).close(); // a valid store id, not a task of Weir's
    Path notes = Files.createDirectories(directory.resolve("3_3")).resolve("notes.txt");
    Files.writeString(notes, "not ours");
    clock.set(System.currentTimeMillis() + 100 * DELAY);
    StateDirectoryCleaner cleaner = cleaner(Set.of(TaskId.parse("1_0")));

    assertThat(cleaner.clean()).isEmpty();
    assertThat(directory.resolve("0_2")).exists();
    assertThat(directory.resolve("1_0")).exists();
    assertThat(directory.resolve("backup")).exists();
    assertThat(notes).exists();
    open.store("s").put(new byte[] {1}, new byte[] {1});

    open.close();
    assertThat(cleaner.clean()).as("closed and unassigned: now it goes").containsExactly("0_2");
  }

  @Test
  void startedItCleansOnItsOwnAndStopsOnClose() {
    backend.open("0_1", List.of("s")).close();
    StateDirectoryCleaner cleaner =
        new StateDirectoryCleaner(
            backend, directory, 1, Set::of, () -> System.currentTimeMillis() + DELAY);
    cleaner.start("test-state-cleaner");
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(directory.resolve("0_1")));
    } finally {
      cleaner.close();
    }
    assertThat(cleaner.cleaned()).isEqualTo(1);
  }
}
