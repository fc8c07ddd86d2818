package dev.weir.store;

/**
 * The whole task-state contract again for a RocksDB backend whose commits skip the write-ahead log
 * ({@code state.rocksdb.commit.wal=false}, design record 045): only crash recovery may differ.
 */
class RocksDbCommitsWithoutWalTest extends TaskStateStoreContractTest {
  @Override
  StateBackend createBackend(java.nio.file.Path directory) {
    return StateBackends.rocksDb(RocksDbSettings.of(directory).withCommitWal(false));
  }
}
