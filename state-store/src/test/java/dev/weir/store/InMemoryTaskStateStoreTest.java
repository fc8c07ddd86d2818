package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryTaskStateStoreTest extends TaskStateStoreContractTest {
  @Override
  StateBackend createBackend(Path directory) {
    return StateBackends.inMemory();
  }

  @Test
  void nothingSurvivesClose() {
    state.store("a").put(bytes(1), bytes(1));
    try (StateWriteBatch batch = state.newWriteBatch()) {
      batch.putOffset("a-0", 3);
      state.applyBatch(batch);
    }
    state.close();
    state = backend.open("1_2", List.of("a"));
    assertThat(state.store("a").get(bytes(1))).isNull();
    assertThat(state.committedOffsets()).isEmpty();
    assertThat(state.directory()).isNull();
  }
}
