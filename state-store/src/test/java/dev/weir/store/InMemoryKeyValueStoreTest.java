package dev.weir.store;

import java.nio.file.Path;

class InMemoryKeyValueStoreTest extends KeyValueStoreContractTest {
  @Override
  StoreFixture createFixture(Path directory) {
    return BackendFixture.open(StateBackends.inMemory());
  }
}
