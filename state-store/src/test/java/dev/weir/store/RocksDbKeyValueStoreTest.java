package dev.weir.store;

import java.nio.file.Path;

class RocksDbKeyValueStoreTest extends KeyValueStoreContractTest {
  @Override
  StoreFixture createFixture(Path directory) {
    return BackendFixture.open(StateBackends.rocksDb(RocksDbSettings.of(directory)));
  }
}
