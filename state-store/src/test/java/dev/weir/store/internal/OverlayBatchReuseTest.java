package dev.weir.store.internal;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateCache;
import dev.weir.store.StateWriteBatch;
import dev.weir.store.TaskStateStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The overlay's commit reuses one write batch, cleared, across commits (design record 037): the
 * base sees one batch until an abort closes it, and every commit's serialized batch is byte for
 * byte the one a fresh batch with the same entries gives.
 */
class OverlayBatchReuseTest {
  @TempDir Path directory;
  private StateBackend backend;
  private RocksDbTaskStateStore task;
  private final List<StateWriteBatch> created = new ArrayList<>();
  private final List<String> applied = new ArrayList<>();
  private OverlayTaskState overlay;

  @BeforeEach
  void open() {
    backend = StateBackends.rocksDb(RocksDbSettings.of(directory));
    task = (RocksDbTaskStateStore) backend.open("0_0", List.of("a", "b"));
    TaskStateStore recording =
        (TaskStateStore)
            Proxy.newProxyInstance(
                TaskStateStore.class.getClassLoader(),
                new Class<?>[] {TaskStateStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("applyBatch")) {
                    applied.add(serialized((RocksDbWriteBatch) args[0]));
                  }
                  Object result;
                  try {
                    result = method.invoke(task, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("newWriteBatch")) {
                    created.add((StateWriteBatch) result);
                  }
                  return result;
                });
    overlay =
        new OverlayTaskState(
            recording, StateCache.disabled(), key -> false, key -> true, key -> false);
  }

  @AfterEach
  void close() {
    task.close();
    backend.close();
  }

  @Test
  void oneBatchServesEveryCommitUntilAnAbortAndEachCommitWritesWhatAFreshBatchWould() {
    overlay.store("a").put(bytes(1), bytes(10, 11, 12));
    overlay.store("a").put(bytes(2), bytes(20));
    overlay.store("b").put(bytes(3), new byte[300]);
    String first = fresh(Map.of("t-0", 5L));
    overlay.commit(Map.of("t-0", 5L));

    overlay.store("a").delete(bytes(1));
    overlay.store("b").put(bytes(4), bytes(40));
    String second = fresh(Map.of("t-0", 9L));
    overlay.commit(Map.of("t-0", 9L));

    String third = fresh(Map.of("t-1", 1L));
    overlay.commit(Map.of("t-1", 1L));

    assertThat(created).hasSize(1);
    assertThat(applied).containsExactly(first, second, third);
    // The second and third batches hold nothing of the first.
    assertThat(second.length()).isLessThan(first.length());

    overlay.abort();
    assertThat(((RocksDbWriteBatch) created.get(0)).isClosed()).isTrue();
    overlay.store("a").put(bytes(5), bytes(50));
    String fourth = fresh(Map.of());
    overlay.commit(Map.of());
    assertThat(created).hasSize(2);
    assertThat(applied).containsExactly(first, second, third, fourth);

    assertThat(task.store("a").get(bytes(1))).isNull();
    assertThat(hex(task.store("a").get(bytes(2)))).isEqualTo("14");
    assertThat(task.store("b").get(bytes(3))).hasSize(300);
    assertThat(hex(task.store("b").get(bytes(4)))).isEqualTo("28");
    assertThat(hex(task.store("a").get(bytes(5)))).isEqualTo("32");
    assertThat(task.committedOffsets()).isEqualTo(new TreeMap<>(Map.of("t-0", 9L, "t-1", 1L)));
  }

  @Test
  void aCommitOfMoreThanTheRetainedBytesDoesNotKeepItsBatch() {
    overlay.store("a").put(bytes(1), bytes(10));
    overlay.commit(Map.of("t-0", 1L));
    // Just over the limit in keys and values: the batch is closed after it is applied.
    overlay.store("b").put(bytes(2), new byte[(int) OverlayTaskState.RETAINED_BATCH_BYTES]);
    overlay.commit(Map.of("t-0", 2L));
    assertThat(created).hasSize(1);
    assertThat(((RocksDbWriteBatch) created.get(0)).isClosed()).isTrue();
    // The next commit starts a new one, kept again while commits stay small.
    overlay.store("a").put(bytes(3), bytes(30));
    overlay.commit(Map.of("t-0", 3L));
    overlay.store("a").put(bytes(4), bytes(40));
    overlay.commit(Map.of("t-0", 4L));
    assertThat(created).hasSize(2);
    assertThat(((RocksDbWriteBatch) created.get(1)).isClosed()).isFalse();
    assertThat(task.store("b").get(bytes(2))).hasSize((int) OverlayTaskState.RETAINED_BATCH_BYTES);
    assertThat(task.committedOffsets()).isEqualTo(new TreeMap<>(Map.of("t-0", 4L)));
  }

  /**
   * The serialized batch a new batch with the overlay's pending entries and these offsets gives.
   */
  private String fresh(Map<String, Long> offsets) {
    try (StateWriteBatch batch = task.newWriteBatch()) {
      overlay.forEachPendingWrite(
          (store, key, value) -> {
            if (value == null) {
              batch.delete(store, key);
            } else {
              batch.put(store, key, value);
            }
          });
      new TreeMap<>(offsets).forEach(batch::putOffset);
      return serialized((RocksDbWriteBatch) batch);
    }
  }

  private static String serialized(RocksDbWriteBatch batch) {
    try (WriteBatch nativeBatch = batch.toNativeBatch()) {
      return hex(nativeBatch.data());
    } catch (RocksDBException e) {
      throw new AssertionError(e);
    }
  }
}
