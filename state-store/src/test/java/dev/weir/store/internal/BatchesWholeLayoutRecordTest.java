package dev.weir.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateFormatException;
import dev.weir.store.StateWriteBatch;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * A task store whose settings keep some batches whole notes it in its metadata (design record 039),
 * which a release that predates that layout refuses, as it refuses any metadata kind it does not
 * know, while this release reads its offsets as before.
 */
class BatchesWholeLayoutRecordTest {
  @TempDir Path directory;

  private static byte[] layoutValue(RocksDbTaskStateStore task) throws RocksDBException {
    return task.db().get(task.metadataHandle(), MetadataFormat.BATCHES_WHOLE_KEY);
  }

  @Test
  void aStoreOpenedWithTheRuleNotesItAndAnOlderReleaseRefusesTheState() throws Exception {
    RocksDbSettings whole =
        RocksDbSettings.of(directory).withBatchesStoredWhole(scope -> scope[0] == 'N');
    assertThat(whole.storesSomeBatchesWhole()).isTrue();
    try (StateBackend backend = StateBackends.rocksDb(whole);
        RocksDbTaskStateStore task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a"))) {
      assertThat(task.batchesStoredWhole().test(new byte[] {'N', 1})).isTrue();
      assertThat(task.batchesStoredWhole().test(new byte[] {'J', 1})).isFalse();
      assertThat(layoutValue(task)).containsExactly(MetadataFormat.LAYOUT_VALUE);
      try (StateWriteBatch b = task.newWriteBatch()) {
        b.putOffset("t-0", 42);
        task.applyBatch(b);
      }
      // What a release before record 039 does with every metadata key it reads at open.
      try (RocksIterator it = task.db().newIterator(task.metadataHandle())) {
        boolean refused = false;
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] key = it.key();
          if (MetadataFormat.isLayoutKey(key)) {
            assertThatThrownBy(() -> MetadataFormat.decodeOffsetKey(key, "task 0_0"))
                .isInstanceOf(StateFormatException.class)
                .hasMessageContaining("unknown kind 0x02")
                .hasMessageContaining("delete the task's state directory");
            refused = true;
          }
        }
        assertThat(refused).isTrue();
      }
    }
    // This release reads the offsets past the layout record, with or without the rule.
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
        RocksDbTaskStateStore task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a"))) {
      assertThat(task.committedOffsets()).isEqualTo(Map.of("t-0", 42L));
      assertThat(task.batchesStoredWhole().test(new byte[] {'N', 1})).isFalse();
    }
  }

  @Test
  void aStoreOpenedWithoutTheRuleHasNoLayoutRecord() throws Exception {
    try (StateBackend backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
        RocksDbTaskStateStore task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a"))) {
      assertThat(layoutValue(task)).isNull();
      assertThat(task.batchesStoredWhole().test(new byte[] {'N', 1})).isFalse();
    }
  }
}
