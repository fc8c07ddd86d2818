package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.KeyValueStore;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.TaskStateStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TimerStoreTest {
  private static byte[] k(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void firesInTimeOrderIncludingNegativeTimesAndTimersRegisteredWhileFiring() throws Exception {
    try (StateBackend backend = StateBackends.inMemory();
        TaskStateStore state = backend.open("0_0", Set.of("op"))) {
      TimerStore timers = new TimerStore(state.store("op"));
      timers.register(TimerStore.EVENT, 20, k("b"));
      timers.register(TimerStore.EVENT, -5, k("a"));
      timers.register(TimerStore.EVENT, 10, k("a"));
      timers.register(TimerStore.EVENT, 10, k("a")); // the same timer: kept once
      timers.register(TimerStore.PROCESSING, 1, k("z")); // another domain: not fired
      List<String> fired = new ArrayList<>();
      timers.fireUpTo(
          TimerStore.EVENT,
          15,
          (t, key) -> {
            fired.add(new String(key, StandardCharsets.UTF_8) + t);
            if (t == 10) {
              timers.register(TimerStore.EVENT, 12, k("c")); // due: fires in the same call
              timers.delete(TimerStore.EVENT, 20, k("b"));
            }
          });
      assertThat(fired).containsExactly("a-5", "a10", "c12");
      assertThat(timers.count(TimerStore.EVENT)).isZero();
      assertThat(timers.count(TimerStore.PROCESSING)).isEqualTo(1);
    }
  }

  @Test
  void timersDueWhileTheTaskWasDownFireOnTheFirstCheckAfterReopening() throws Exception {
    try (StateBackend backend = StateBackends.inMemory();
        TaskStateStore state = backend.open("0_0", Set.of("op"))) {
      KeyValueStore store = state.store("op");
      new TimerStore(store).register(TimerStore.PROCESSING, 1_000, k("a"));
      TimerStore reopened = new TimerStore(store); // nothing cached: finds the timer by a scan
      List<Long> fired = new ArrayList<>();
      reopened.fireUpTo(TimerStore.PROCESSING, 5_000, (t, key) -> fired.add(t));
      assertThat(fired).containsExactly(1_000L);
    }
  }
}
