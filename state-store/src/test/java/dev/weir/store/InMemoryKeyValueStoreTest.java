package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InMemoryKeyValueStoreTest extends KeyValueStoreContractTest {
  @Override
  StoreFixture createFixture(Path directory) {
    return BackendFixture.open(StateBackends.inMemory());
  }

  @Test
  void entryCountIsExact() {
    for (int i = 0; i < 10; i++) {
      store.put(bytes(i), bytes(i));
    }
    store.put(bytes(3), bytes(33));
    store.delete(bytes(4));
    store.delete(bytes(40));
    store.deleteRange(bytes(6), bytes(8));
    assertThat(store.approximateNumEntries()).isEqualTo(7);
  }
}
