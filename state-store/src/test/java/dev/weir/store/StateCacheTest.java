package dev.weir.store;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.entries;
import static dev.weir.store.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The write-back cache of the transactional overlay: what it answers and what it costs. */
class StateCacheTest {

  @Test
  void aNegativeBudgetIsRejected() {
    assertThatThrownBy(() -> StateCache.of(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(">= 0");
  }

  @Test
  void anOverlayOverAnEmptyStoreAnswersEveryReadFromMemory() {
    TaskStateStore base = StateBackends.inMemory().open("0_0", List.of("a"));
    StateCache cache = StateCache.of(1 << 20);
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, cache);
    KeyValueStore a = tx.store("a");
    a.put(bytes(1), bytes(1));
    tx.commit(Map.of());
    assertThat(hex(a.get(bytes(1)))).isEqualTo("01");
    assertThat(a.get(bytes(2))).isNull();
    assertThat(cache.hits()).isEqualTo(2);
    assertThat(cache.misses()).isZero();
    assertThat(cache.flushes()).isEqualTo(1);
    assertThat(hex(base.store("a").get(bytes(1)))).isEqualTo("01");
  }

  @Test
  void committedEntriesReadOnceStayCachedAcrossCommits() {
    TaskStateStore base = StateBackends.inMemory().open("0_0", List.of("a"));
    base.store("a").put(bytes(1), bytes(1));
    StateCache cache = StateCache.of(1 << 20);
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, cache);
    KeyValueStore a = tx.store("a");
    assertThat(hex(a.get(bytes(1)))).isEqualTo("01");
    assertThat(a.get(bytes(2))).isNull();
    tx.commit(Map.of());
    assertThat(hex(a.get(bytes(1)))).isEqualTo("01");
    assertThat(a.get(bytes(2))).isNull();
    assertThat(cache.misses()).isEqualTo(2);
    assertThat(cache.hits()).isEqualTo(2);
    assertThat(cache.flushes()).as("nothing was written").isZero();
  }

  @Test
  void aDeleteOfAnAbsentKeyTheCacheKnowsLogsNothing() {
    TaskStateStore base = StateBackends.inMemory().open("0_0", List.of("a"));
    base.store("a").put(bytes(9), bytes(9)); // not empty: the overlay is not complete
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, StateCache.of(1 << 20));
    KeyValueStore a = tx.store("a");
    assertThat(a.get(bytes(1))).isNull(); // read from the base: absent
    a.put(bytes(1), bytes(1));
    a.delete(bytes(1));
    a.delete(bytes(1));
    tx.commit(Map.of());
    a.delete(bytes(1)); // known absent after the commit too
    List<String> visited = new ArrayList<>();
    tx.forEachPendingWrite((s, k, v) -> visited.add(hex(k)));
    assertThat(visited).isEmpty();
  }

  @Test
  void evictionKeepsTheCacheWithinItsBudgetAndReadsStayCorrect() {
    TaskStateStore base = StateBackends.inMemory().open("0_0", List.of("a", "b"));
    StateCache cache = StateCache.of(2_000);
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, cache);
    TreeMap<String, String> model = new TreeMap<>();
    for (int i = 0; i < 200; i++) {
      tx.store(i % 2 == 0 ? "a" : "b").put(bytes(i), bytes(i, i));
      if (i % 2 == 0) {
        model.put(hex(bytes(i)), hex(bytes(i, i)));
      }
      if (i % 10 == 9) {
        tx.commit(Map.of());
        assertThat(cache.usedBytes()).isBetween(0L, 2_000L);
      }
    }
    assertThat(cache.evictions()).isPositive();
    for (int i = 0; i < 200; i += 2) {
      assertThat(hex(tx.store("a").get(bytes(i)))).isEqualTo(hex(bytes(i, i)));
    }
    assertThat(entries(tx.store("a").all())).isEqualTo(model);
    assertThat(cache.misses()).as("evicted entries are read from the base").isPositive();
  }

  @Test
  void abortDropsCachedEntriesAndReleasesTheirBudget() {
    TaskStateStore base = StateBackends.inMemory().open("0_0", List.of("a"));
    StateCache cache = StateCache.of(1 << 20);
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, cache);
    tx.store("a").put(bytes(1), bytes(1));
    tx.commit(Map.of());
    assertThat(cache.usedBytes()).isPositive();
    tx.store("a").put(bytes(1), bytes(2));
    tx.abort();
    assertThat(cache.usedBytes()).isZero();
    assertThat(hex(tx.store("a").get(bytes(1)))).isEqualTo("01");
  }

  @Test
  void aDisabledCacheKeepsNothingCommitted() {
    TaskStateStore base = StateBackends.inMemory().open("0_0", List.of("a"));
    StateCache cache = StateCache.disabled();
    TransactionalTaskState tx = TransactionalTaskState.wrap(base, cache);
    tx.store("a").put(bytes(1), bytes(1));
    assertThat(hex(tx.store("a").get(bytes(1)))).isEqualTo("01");
    tx.commit(Map.of());
    assertThat(hex(tx.store("a").get(bytes(1)))).isEqualTo("01");
    assertThat(cache.usedBytes()).isZero();
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(1);
  }
}
