package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StateWriteBatch#put(String, byte[], byte[], int, int)}: in both backends (which override
 * it) and in the default implementation.
 */
class StateWriteBatchValueRangeTest {
  @TempDir Path directory;

  static Stream<Arguments> backends() {
    return Stream.of(
        Arguments.of("in-memory", (Function<Path, StateBackend>) d -> StateBackends.inMemory()),
        Arguments.of(
            "rocksdb",
            (Function<Path, StateBackend>) d -> StateBackends.rocksDb(RocksDbSettings.of(d))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void aValueRangeIsStoredAsItsOwnValue(String name, Function<Path, StateBackend> factory) {
    byte[] record = bytes(9, 1, 2, 3, 9);
    try (StateBackend backend = factory.apply(directory);
        TaskStateStore state = backend.open("0_0", List.of("a"))) {
      try (StateWriteBatch batch = state.newWriteBatch()) {
        batch.put("a", bytes(1), record, 1, 3);
        batch.put("a", bytes(2), record, 5, 0);
        batch.put("a", bytes(3), record, 0, record.length);
        record[2] = 0x7f; // the batch copied the range: later changes do not reach it
        assertThat(batch.size()).isEqualTo(3);
        state.applyBatch(batch);
      }
      assertThat(hex(state.store("a").get(bytes(1)))).isEqualTo("010203");
      assertThat(hex(state.store("a").get(bytes(2)))).isEmpty();
      assertThat(hex(state.store("a").get(bytes(3)))).isEqualTo("0901020309");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backends")
  void aRangeOutsideTheValueIsRefusedAndAddsNothing(
      String name, Function<Path, StateBackend> factory) {
    try (StateBackend backend = factory.apply(directory);
        TaskStateStore state = backend.open("0_0", List.of("a"));
        StateWriteBatch batch = state.newWriteBatch()) {
      byte[] value = new byte[4];
      assertThatThrownBy(() -> batch.put("a", bytes(1), value, 2, 3))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> batch.put("a", bytes(1), value, -1, 1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> batch.put("a", bytes(1), value, 0, -1))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> batch.put("a", bytes(1), null, 0, 0))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> batch.put("c", bytes(1), value, 0, 1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(batch.size()).isZero();
      state.applyBatch(batch);
      assertThat(state.store("a").get(bytes(1))).isNull();
    }
  }

  @Test
  void theDefaultImplementationPutsACopyOfTheRange() {
    RecordingBatch batch = new RecordingBatch();
    byte[] record = bytes(9, 1, 2, 3, 9);
    batch.put("a", bytes(1), record, 1, 3);
    record[2] = 0x7f;
    assertThat(batch.values).hasSize(1);
    assertThat(hex(batch.values.get(0))).isEqualTo("010203");
    assertThatThrownBy(() -> batch.put("a", bytes(1), record, 3, 3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("out of bounds for length 5");
    assertThatThrownBy(() -> batch.put("a", bytes(1), null, 0, 0))
        .isInstanceOf(NullPointerException.class);
    assertThat(batch.values).hasSize(1);
  }

  /** Implements only the abstract methods, so the range put is the interface's default. */
  private static final class RecordingBatch implements StateWriteBatch {
    final List<byte[]> values = new ArrayList<>();

    @Override
    public void put(String storeName, byte[] key, byte[] value) {
      values.add(value);
    }

    @Override
    public void delete(String storeName, byte[] key) {}

    @Override
    public void putOffset(String changelogPartition, long nextOffset) {}

    @Override
    public int size() {
      return values.size();
    }

    @Override
    public void clear() {
      values.clear();
    }

    @Override
    public void close() {}
  }
}
