package dev.weir.store.internal;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateWriteBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB batch over its encoder: what a refused entry leaves, and reuse after apply. */
class RocksDbWriteBatchTest {
  @TempDir Path directory;
  private StateBackend backend;
  private RocksDbTaskStateStore task;

  @BeforeEach
  void open() {
    backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
    task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a", "b"));
  }

  @AfterEach
  void close() {
    task.close();
    backend.close();
  }

  @Test
  void aFullBatchRefusesTheNextEntryAndStillAppliesWhatItHolds() {
    // Room for the header and two puts of 6 bytes each (tag, id, key and value with lengths).
    WriteBatchEncoder small = new WriteBatchEncoder(24, WriteBatchEncoder.MAX_RECORDS);
    try (StateWriteBatch batch = new RocksDbWriteBatch(task, small)) {
      batch.put("a", bytes(1), bytes(1));
      batch.put("a", bytes(2), bytes(2));
      assertThatThrownBy(() -> batch.put("a", bytes(3), bytes(3)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("at most 24 serialized bytes");
      assertThatThrownBy(() -> batch.putOffset("a-0", 2)).isInstanceOf(IllegalStateException.class);
      assertThat(batch.size()).isEqualTo(2);
      task.applyBatch(batch);
    }
    assertThat(hex(task.store("a").get(bytes(2)))).isEqualTo("02");
    assertThat(task.store("a").get(bytes(3))).isNull();
    assertThat(task.committedOffsets()).as("the refused offset was not remembered").isEmpty();
  }

  @Test
  void aBatchIsReusableAfterApplyAndClearAcrossStoresAndOffsets() {
    try (StateWriteBatch batch = task.newWriteBatch()) {
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
          batch.put(i % 2 == 0 ? "a" : "b", bytes(round, i >> 8, i), bytes(round));
        }
        batch.delete("a", bytes(round, 0, 0));
        batch.putOffset("a-0", round);
        assertThat(batch.size()).isEqualTo(1001);
        task.applyBatchWithoutWal(batch);
        batch.clear();
      }
    }
    assertThat(task.store("a").get(bytes(2, 0, 0))).isNull();
    assertThat(hex(task.store("a").get(bytes(2, 0, 2)))).isEqualTo("02");
    assertThat(hex(task.store("b").get(bytes(1, 0, 1)))).isEqualTo("01");
    assertThat(task.committedOffsets()).isEqualTo(Map.of("a-0", 2L));
  }

  @Test
  void storesAreEncodedWithTheirColumnFamilyIdsAndOffsetsWithTheMetadataOne() {
    assertThat(task.metadataColumnFamilyId()).isZero();
    assertThat(task.storeImpl("a").columnFamilyId())
        .isEqualTo(task.storeImpl("a").handle().getID());
    assertThat(task.storeImpl("b").columnFamilyId())
        .isEqualTo(task.storeImpl("b").handle().getID())
        .isNotEqualTo(task.storeImpl("a").columnFamilyId());
  }
}
