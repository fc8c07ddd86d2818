package dev.weir.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;

/** The contract on the transactional overlay: reads before commit, and after each commit. */
class TransactionalKeyValueStoreTest {

  @Nested
  class BeforeCommit extends KeyValueStoreContractTest {
    @Override
    StoreFixture createFixture(Path directory) {
      return new OverlayFixture(directory, false);
    }
  }

  @Nested
  class AfterCommit extends KeyValueStoreContractTest {
    @Override
    StoreFixture createFixture(Path directory) {
      return new OverlayFixture(directory, true);
    }
  }

  /** A transactional view over RocksDB that commits at every settle, or never. */
  static final class OverlayFixture implements StoreFixture {
    private final StateBackend backend;
    private final TaskStateStore base;
    private final TransactionalTaskState state;
    private final boolean commitOnSettle;
    private long commits;

    OverlayFixture(Path directory, boolean commitOnSettle) {
      this.backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
      this.base = backend.open("0_0", List.of("a", "b"));
      this.state = TransactionalTaskState.wrap(base);
      this.commitOnSettle = commitOnSettle;
    }

    @Override
    public KeyValueStore store(String name) {
      return state.store(name);
    }

    @Override
    public void settle() {
      if (commitOnSettle) {
        state.commit(Map.of("changelog-0", ++commits));
      }
    }

    @Override
    public void close() {
      base.close();
      backend.close();
    }
  }
}
