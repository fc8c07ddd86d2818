package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.ListStateDescriptor;
import dev.weir.store.BatchScopeRule;
import dev.weir.store.ChangelogFormat;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task state asks the store's rule about a window list marker's scope (whether its batches are
 * stored whole, design record 039) where the scope lies in the marker's key, without a copy: when
 * the commit of the marker decides whether to keep it in the cache, and on a point read of it.
 */
class ListMarkerScopeTest {
  private static final String STORE = "op";
  private static final List<TaskState.StoreSpec> SPECS =
      List.of(new TaskState.StoreSpec(STORE, "app-op-changelog"));

  @TempDir Path dir;
  private StateBackend backend;
  private TaskState state;

  /** The rule's calls about one scope: in a batch key, or in an array of the scope alone. */
  private final List<String> asked = new ArrayList<>();

  private byte[] watched = new byte[0];

  @AfterEach
  void close() {
    state.close();
    backend.close();
  }

  @Test
  void aListMarkersScopeIsTestedInItsKey() {
    BatchScopeRule rule =
        (bytes, offset, length) -> {
          if (Arrays.equals(bytes, offset, offset + length, watched, 0, watched.length)) {
            boolean inKey = ChangelogFormat.isBatchKey(bytes) && offset == 2;
            asked.add(
                inKey ? "in the marker's key" : offset + "+" + length + " of " + bytes.length);
          }
          return TaskState.BATCHES_STORED_WHOLE.test(bytes, offset, length);
        };
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir).withBatchesStoredWhole(rule));
    StateCache cache = StateCache.of(1L << 20);
    state = TaskState.open(backend, "0_0", 0, SPECS, cache);
    OperatorStates states =
        new OperatorStates(
            "op",
            STORE,
            state.store(STORE),
            () -> "k".getBytes(StandardCharsets.UTF_8),
            () -> 0L,
            true);
    ListStateImpl<String> list =
        states.namespacedList("contents", new ListStateDescriptor<>("e", Serdes.String()));
    states.setNamespace("w".getBytes(StandardCharsets.UTF_8));
    String a = "a".repeat(1000);
    list.add(a);
    list.add("b");

    ListStateLayoutTest.Changelog changelog = new ListStateLayoutTest.Changelog();
    state.prepareCommit(changelog, 0);
    byte[][] marker = changelog.open.get(changelog.open.size() - 1);
    assertThat(ChangelogFormat.isBatchKey(marker[0])).isTrue();
    changelog.commitTransaction();
    // Watch the scope of the commit's marker from here on: its commit to the store, then a read.
    watched = ChangelogFormat.batchScope(marker[0]);
    long cachedBefore = cache.usedBytes();
    state.postCommit();
    // The header only (a few dozen bytes and the entry's overhead): the marker holds the batch,
    // which only scans read, and is kept out of the cache.
    assertThat(marker[1].length).isGreaterThan(1000);
    assertThat(cache.usedBytes() - cachedBefore).isLessThan(500);
    assertThat(asked).containsExactly("in the marker's key");

    asked.clear();
    byte[] value = state.store(STORE).get(marker[0]);
    assertThat(HexFormat.of().formatHex(value)).isEqualTo(HexFormat.of().formatHex(marker[1]));
    assertThat(asked).containsExactly("in the marker's key");
    assertThat(list.get()).containsExactly(a, "b");
  }
}
