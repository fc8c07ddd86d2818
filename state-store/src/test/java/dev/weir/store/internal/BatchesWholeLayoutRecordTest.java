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
 * A task store whose settings keep some batches whole notes it in its metadata once it is about to
 * hold one (design record 039), which a release that predates that layout refuses, as it refuses
 * any metadata kind it does not know, while this release reads its offsets as before. A store that
 * never holds one is not marked, so an older release still opens it.
 */
class BatchesWholeLayoutRecordTest {
  @TempDir Path directory;

  private static byte[] layoutValue(RocksDbTaskStateStore task) throws RocksDBException {
    return task.db().get(task.metadataHandle(), MetadataFormat.BATCHES_WHOLE_KEY);
  }

  @Test
  void aStoreAboutToHoldAWholeBatchNotesItAndAnOlderReleaseRefusesTheState() throws Exception {
    RocksDbSettings whole =
        RocksDbSettings.of(directory).withBatchesStoredWhole(scope -> scope[0] == 'N');
    assertThat(whole.storesSomeBatchesWhole()).isTrue();
    try (StateBackend backend = StateBackends.rocksDb(whole);
        RocksDbTaskStateStore task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a"))) {
      assertThat(task.batchesStoredWhole().test(new byte[] {'N', 1})).isTrue();
      assertThat(task.batchesStoredWhole().test(new byte[] {'J', 1})).isFalse();
      assertThat(layoutValue(task)).as("nothing held whole yet").isNull();
      task.noteBatchStoredWhole();
      assertThat(layoutValue(task)).containsExactly(MetadataFormat.LAYOUT_VALUE);
      task.noteBatchStoredWhole();
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

  /** Reopened with the rule, a store that holds no whole batch is still not marked. */
  @Test
  void aStoreThatHoldsNoWholeBatchIsNotMarkedEvenWithTheRule() throws Exception {
    RocksDbSettings whole =
        RocksDbSettings.of(directory).withBatchesStoredWhole(scope -> scope[0] == 'N');
    for (int open = 0; open < 2; open++) {
      try (StateBackend backend = StateBackends.rocksDb(whole);
          RocksDbTaskStateStore task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a"))) {
        try (StateWriteBatch b = task.newWriteBatch()) {
          b.put("a", new byte[] {'k', 1}, new byte[] {7});
          b.putOffset("t-0", 42 + open);
          task.applyBatch(b);
        }
        assertThat(layoutValue(task)).isNull();
      }
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
