package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.hex;
import static dev.weir.store.TestBytes.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link StateBackend} and its {@link TaskStateStore}s promise. */
abstract class TaskStateStoreContractTest {
  @TempDir Path directory;
  StateBackend backend;
  TaskStateStore state;

  abstract StateBackend createBackend(Path directory);

  @BeforeEach
  void open() {
    backend = createBackend(directory);
    state = backend.open("1_2", List.of("b", "a"));
  }

  @AfterEach
  void close() {
    state.close();
    backend.close();
  }

  @Test
  void exposesTaskIdAndSortedStoreNames() {
    assertThat(state.taskId()).isEqualTo("1_2");
    assertThat(state.storeNames()).containsExactly("a", "b");
    assertThat(state.store("b").name()).isEqualTo("b");
  }

  @Test
  void unknownStoreIsRejectedWithTheKnownNames() {
    assertThatThrownBy(() -> state.store("c"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'c'")
        .hasMessageContaining("[a, b]");
    try (StateWriteBatch batch = state.newWriteBatch()) {
      assertThatThrownBy(() -> batch.put("c", bytes(1), bytes(1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void freshStateHasNoOffsets() {
    assertThat(state.committedOffsets()).isEmpty();
  }

  @Test
  void batchAppliesWritesAcrossStoresWithOffsets() {
    state.store("a").put(bytes(9), bytes(9));
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.put("a", bytes(1), bytes(10));
      batch.put("b", bytes(1), bytes(20));
      batch.delete("a", bytes(9));
      batch.putOffset("app-a-changelog-0", 5);
      batch.putOffset("app-b-changelog-0", 7);
      batch.putOffset("app-a-changelog-0", 6);
      assertThat(batch.size()).isEqualTo(3);
      assertThat(state.store("a").get(bytes(1))).as("nothing before apply").isNull();
      state.applyBatch(batch);
    }
    assertThat(hex(state.store("a").get(bytes(1)))).isEqualTo("0a");
    assertThat(hex(state.store("b").get(bytes(1)))).isEqualTo("14");
    assertThat(state.store("a").get(bytes(9))).isNull();
    assertThat(state.committedOffsets())
        .isEqualTo(Map.of("app-a-changelog-0", 6L, "app-b-changelog-0", 7L));
  }

  @Test
  void laterBatchesKeepOffsetsTheyDoNotMention() {
    applyOffset("x-0", 1);
    applyOffset("y-0", 2);
    applyOffset("x-0", 3);
    assertThat(state.committedOffsets()).isEqualTo(Map.of("x-0", 3L, "y-0", 2L));
  }

  @Test
  void batchWritesAreAppliedInOrderAndBatchCanBeReusedAfterClear() {
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.put("a", bytes(1), bytes(1));
      batch.delete("a", bytes(1));
      batch.put("a", bytes(2), bytes(1));
      batch.put("a", bytes(2), bytes(2));
      state.applyBatch(batch);
      batch.clear();
      assertThat(batch.size()).isZero();
      batch.put("a", bytes(3), bytes(3));
      state.applyBatch(batch);
    }
    assertThat(keys(state.store("a").all())).containsExactly("02", "03");
    assertThat(hex(state.store("a").get(bytes(2)))).isEqualTo("02");
  }

  @Test
  void unloggedBatchIsVisibleAtOnceAndDurableAfterFlush() {
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.put("a", bytes(1), bytes(1));
      batch.putOffset("a-0", 1);
      state.applyBatchWithoutWal(batch);
    }
    assertThat(state.store("a").get(bytes(1))).isNotNull();
    state.flush();
    state.store("a").put(bytes(2), bytes(2));
    assertThat(keys(state.store("a").all())).containsExactly("01", "02");
    assertThat(state.committedOffsets()).isEqualTo(Map.of("a-0", 1L));
  }

  @Test
  void batchesOfOtherTasksOrClosedBatchesAreRejected() {
    try (TaskStateStore other = backend.open("1_3", List.of("a"));
        StateWriteBatch foreign = other.newWriteBatch()) {
      assertThatThrownBy(() -> state.applyBatch(foreign))
          .isInstanceOf(IllegalArgumentException.class);
    }
    StateWriteBatch closed = state.newWriteBatch();
    closed.close();
    closed.close();
    assertThatThrownBy(() -> state.applyBatch(closed)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> closed.put("a", bytes(1), bytes(1)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void invalidOffsetsAreRejected() {
    try (StateWriteBatch batch = state.newWriteBatch()) {
      assertThatThrownBy(() -> batch.putOffset("a-0", -1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> batch.putOffset("", 1)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closedStateRejectsUseAndCloseIsIdempotent() {
    KeyValueStore store = state.store("a");
    StateWriteBatch batch = state.newWriteBatch();
    state.close();
    assertThatThrownBy(() -> batch.put("a", bytes(1), bytes(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> state.applyBatch(batch)).isInstanceOf(IllegalStateException.class);
    batch.close();
    state.close();
    assertThatThrownBy(() -> store.get(bytes(1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.put(bytes(1), bytes(1)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(store::all).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> state.store("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(state::committedOffsets).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingTheStateClosesIteratorsLeftOpen() {
    state.store("a").put(bytes(1), bytes(1));
    KeyValueIterator leaked = state.store("a").all();
    state.close();
    assertThatThrownBy(leaked::hasNext).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aTaskCannotBeOpenedTwiceButCanBeReopenedAfterClose() {
    assertThatThrownBy(() -> backend.open("1_2", List.of("a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already open");
    assertThatThrownBy(() -> backend.deleteState("1_2")).isInstanceOf(IllegalStateException.class);
    state.close();
    state = backend.open("1_2", List.of("a", "b"));
    assertThat(state.storeNames()).containsExactly("a", "b");
  }

  @Test
  void invalidTaskIdsAndStoreNamesAreRejected() {
    for (String badId : List.of("", "..", "a/b", "a b", "x\\y")) {
      assertThatThrownBy(() -> backend.open(badId, List.of("a")))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> backend.open("9_9", List.of("default")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> backend.open("9_9", List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
    state.close();
    state = backend.open("9_9", List.of("a"));
    assertThat(state.storeNames()).containsExactly("a");
  }

  @Test
  void closingTheBackendClosesOpenTasksAndRefusesNewOnes() {
    TaskStateStore other = backend.open("2_0", List.of("a"));
    backend.close();
    assertThatThrownBy(() -> other.store("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> state.store("a")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> backend.open("2_1", List.of("a")))
        .isInstanceOf(IllegalStateException.class);
    backend.close();
  }

  @Test
  void anOpenTaskIsNeverDeletedAsUnused() {
    state.store("a").put(bytes(1), bytes(1));
    assertThat(backend.deleteUnusedState("1_2", Long.MAX_VALUE)).isFalse();
    assertThat(keys(state.store("a").all())).containsExactly("01");
    state.store("a").put(bytes(2), bytes(2));
    assertThat(keys(state.store("a").all())).containsExactly("01", "02");
  }

  @Test
  void aClosedTaskUnusedSinceTheCutoffIsGoneAndReopensEmpty() {
    state.store("a").put(bytes(1), bytes(1));
    applyOffset("app-a-changelog-2", 4);
    state.close();
    backend.deleteUnusedState("1_2", Long.MAX_VALUE);
    assertThat(backend.storedTasks()).doesNotContain("1_2");
    state = backend.open("1_2", List.of("a", "b"));
    assertThat(keys(state.store("a").all())).isEmpty();
    assertThat(state.committedOffsets()).isEmpty();
  }

  @Test
  void deletingUnusedStateOfAnAbsentTaskDeletesNothing() {
    assertThat(backend.deleteUnusedState("7_7", Long.MAX_VALUE)).isFalse();
    assertThatThrownBy(() -> backend.deleteUnusedState("a/b", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClosedBackendRefusesToDeleteUnusedState() {
    state.close();
    backend.close();
    assertThatThrownBy(() -> backend.deleteUnusedState("1_2", Long.MAX_VALUE))
        .isInstanceOf(IllegalStateException.class);
  }

  private void applyOffset(String partition, long offset) {
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.putOffset(partition, offset);
      state.applyBatch(batch);
    }
  }
}
