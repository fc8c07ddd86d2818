package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.state.MapStateDescriptor;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.StateCache;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MapStateImpl#entriesBetween}, the interval join's range read: on RocksDB through the
 * overlay and the write-back cache, it returns exactly the entries a full scan filtered to the
 * range returns, in the same order, whether they were committed to the store, are still in the
 * overlay, or were removed.
 */
class MapStateRangeTest {
  private static final String STORE = "op";

  @TempDir Path dir;
  private StateBackend backend;
  private TaskState state;
  private OperatorStates states;
  private byte[] currentKey = utf8("a");

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void open(StateCache cache) {
    backend = StateBackends.rocksDb(RocksDbSettings.of(dir));
    state =
        TaskState.open(
            backend, "0_0", 0, List.of(new TaskState.StoreSpec(STORE, "app-op-changelog")), cache);
    states = new OperatorStates("op", STORE, state.store(STORE), () -> currentKey, () -> 0L, true);
  }

  private void commit() {
    state.prepareCommit(new ListStateLayoutTest.Changelog(), 0);
    state.postCommit();
  }

  @BeforeEach
  void noBackendYet() {
    backend = null;
  }

  @AfterEach
  void close() {
    if (backend != null) {
      state.close();
      backend.close();
    }
  }

  @SuppressWarnings("unchecked")
  private MapStateImpl<Long, String> map() {
    return (MapStateImpl<Long, String>)
        states.map(new MapStateDescriptor<>("m", Serdes.Long(), Serdes.String()));
  }

  private static Map<Long, String> filtered(Map<Long, String> all, long from, long to) {
    Map<Long, String> out = new LinkedHashMap<>();
    all.forEach(
        (k, v) -> {
          if (k >= from && k <= to) {
            out.put(k, v);
          }
        });
    return out;
  }

  @ParameterizedTest(name = "cache budget {0} bytes")
  @ValueSource(longs = {0, 600, 32L << 20})
  void aRangeReadReturnsWhatAFilteredScanReturns(long budget) {
    open(budget == 0 ? StateCache.disabled() : StateCache.of(budget));
    MapStateImpl<Long, String> m = map();
    for (long t = 0; t < 40; t += 3) {
      m.put(t, "a" + t);
    }
    currentKey = utf8("b"); // another key's entries sort right after a's: never in a's range
    for (long t = 0; t < 40; t += 2) {
      m.put(t, "b" + t);
    }
    commit();
    currentKey = utf8("a");
    m.put(13L, "a13-new"); // in the overlay (and cache) only
    m.put(14L, "a14");
    m.remove(15L); // committed, now removed in the overlay
    m.put(Long.MAX_VALUE, "max");
    Map<Long, String> all = m.entries();
    for (long[] r :
        new long[][] {
          {0, 39}, {10, 20}, {13, 15}, {15, 15}, {16, 17}, {40, 100}, {0, Long.MAX_VALUE}, {5, 5}
        }) {
      assertThat(m.entriesBetween(r[0], r[1]))
          .as("range [%d, %d]", r[0], r[1])
          .containsExactlyEntriesOf(filtered(all, r[0], r[1]));
    }
    assertThat(m.entriesBetween(10L, 20L))
        .containsExactly(
            Map.entry(12L, "a12"),
            Map.entry(13L, "a13-new"),
            Map.entry(14L, "a14"),
            Map.entry(18L, "a18"));
    currentKey = utf8("b");
    assertThat(m.entriesBetween(35L, 1000L))
        .containsExactly(Map.entry(36L, "b36"), Map.entry(38L, "b38"));
  }

  @Test
  void anEmptyStateHasNothingInAnyRange() {
    open(StateCache.disabled());
    assertThat(map().entriesBetween(0L, Long.MAX_VALUE)).isEmpty();
  }
}
