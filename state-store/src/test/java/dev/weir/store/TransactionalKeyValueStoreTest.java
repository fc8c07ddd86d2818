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
      return new OverlayFixture(directory, false, StateCache.disabled());
    }
  }

  @Nested
  class BeforeCommitCached extends KeyValueStoreContractTest {
    @Override
    StoreFixture createFixture(Path directory) {
      return new OverlayFixture(directory, false, StateCache.of(1 << 20));
    }
  }

  @Nested
  class AfterCommitCached extends KeyValueStoreContractTest {
    @Override
    StoreFixture createFixture(Path directory) {
      return new OverlayFixture(directory, true, StateCache.of(1 << 20));
    }
  }

  /** A budget of a few entries: the cache evicts on almost every read and commit. */
  @Nested
  class AfterCommitTinyCache extends KeyValueStoreContractTest {
    @Override
    StoreFixture createFixture(Path directory) {
      return new OverlayFixture(directory, true, StateCache.of(500));
    }
  }

  @Nested
  class AfterCommit extends KeyValueStoreContractTest {
    @Override
    StoreFixture createFixture(Path directory) {
      return new OverlayFixture(directory, true, StateCache.disabled());
    }
  }

  /** A transactional view over RocksDB that commits at every settle, or never. */
  static final class OverlayFixture implements StoreFixture {
    private final StateBackend backend;
    private final TaskStateStore base;
    private final TransactionalTaskState state;
    private final boolean commitOnSettle;
    private long commits;

    OverlayFixture(Path directory, boolean commitOnSettle, StateCache cache) {
      this.backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
      this.base = backend.open("0_0", List.of("a", "b"));
      this.state = TransactionalTaskState.wrap(base, cache);
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
