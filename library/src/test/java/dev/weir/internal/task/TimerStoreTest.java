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

  /** The timer key a keyed context builds: {@code [keyLength][key][namespace]}, or the key. */
  private static byte[] timerKey(byte[] key, byte[] namespace) {
    if (namespace == null) {
      return key;
    }
    return java.nio.ByteBuffer.allocate(4 + key.length + namespace.length)
        .putInt(key.length)
        .put(key)
        .put(namespace)
        .array();
  }

  /**
   * The check that lets a keyed context skip building a timer's key answers exactly whether that
   * key is the one registered last: every part of it counts (domain, time, key, namespace, and
   * where the key ends and the namespace begins), and a delete or a firing forgets it.
   */
  @Test
  void isLastRegisteredMatchesOnlyTheVeryTimerRegisteredLast() throws Exception {
    try (StateBackend backend = StateBackends.inMemory();
        TaskStateStore state = backend.open("0_0", Set.of("op"))) {
      TimerStore timers = new TimerStore(state.store("op"));
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 10, k("ab"), k("w"))).isFalse();
      timers.register(TimerStore.EVENT, 10, timerKey(k("ab"), k("w")));
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 10, k("ab"), k("w"))).isTrue();
      assertThat(timers.isLastRegistered(TimerStore.PROCESSING, 10, k("ab"), k("w"))).isFalse();
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 11, k("ab"), k("w"))).isFalse();
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 10, k("ac"), k("w"))).isFalse();
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 10, k("ab"), k("v"))).isFalse();
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 10, k("a"), k("bw"))).isFalse();
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 10, k("ab"), null)).isFalse();
      assertThat(timers.isLastRegistered(TimerStore.EVENT, -10, k("ab"), k("w"))).isFalse();

      timers.register(TimerStore.PROCESSING, -3, timerKey(k("ab"), null)); // not namespaced
      assertThat(timers.isLastRegistered(TimerStore.PROCESSING, -3, k("ab"), null)).isTrue();
      assertThat(timers.isLastRegistered(TimerStore.PROCESSING, -3, k("abc"), null)).isFalse();
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 10, k("ab"), k("w"))).isFalse();

      timers.delete(TimerStore.PROCESSING, -3, timerKey(k("ab"), null));
      assertThat(timers.isLastRegistered(TimerStore.PROCESSING, -3, k("ab"), null)).isFalse();

      timers.register(TimerStore.EVENT, 5, timerKey(k("x"), k("w")));
      timers.fireUpTo(TimerStore.EVENT, 5, (t, key) -> {});
      assertThat(timers.isLastRegistered(TimerStore.EVENT, 5, k("x"), k("w"))).isFalse();
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

  @Test
  void pastTimersFireWhenRegisteredBeforeDuringAndAfterFiringAndAgainAfterTheyFired()
      throws Exception {
    try (StateBackend backend = StateBackends.inMemory();
        TaskStateStore state = backend.open("0_0", Set.of("op"))) {
      TimerStore timers = new TimerStore(state.store("op"));
      timers.register(TimerStore.EVENT, 100, k("a"));
      List<String> fired = new ArrayList<>();
      TimerStore.Firing record = (t, key) -> fired.add(new String(key, StandardCharsets.UTF_8) + t);
      timers.fireUpTo(TimerStore.EVENT, 150, record);
      // Below what has been fired already: due at the next check.
      timers.register(TimerStore.EVENT, 50, k("b"));
      timers.register(TimerStore.EVENT, 160, k("c"));
      timers.fireUpTo(
          TimerStore.EVENT,
          170,
          (t, key) -> {
            record.fire(t, key);
            if (t == 50) {
              timers.register(TimerStore.EVENT, 40, k("d")); // below the scan's start: same call
            }
          });
      // The timer that just fired, registered again: stored again, fires again.
      timers.register(TimerStore.EVENT, 40, k("d"));
      timers.fireUpTo(TimerStore.EVENT, 170, record);
      timers.register(TimerStore.EVENT, 500, k("e"));
      timers.fireUpTo(TimerStore.EVENT, 499, record);
      timers.fireUpTo(TimerStore.EVENT, Long.MAX_VALUE, record);
      timers.register(TimerStore.EVENT, 1, k("f"));
      timers.fireUpTo(TimerStore.EVENT, Long.MAX_VALUE, record);
      // d40, registered while b50 fired, comes after the batch b50 was read with (c160).
      assertThat(fired).containsExactly("a100", "b50", "c160", "d40", "d40", "e500", "f1");
      assertThat(timers.count(TimerStore.EVENT)).isZero();
    }
  }

  /**
   * Fired timers leave tombstones at the start of the domain in the committed store; scans after a
   * firing start at the first time that may still hold a timer, not at the domain's prefix.
   */
  @Test
  void scansAfterFiringStartPastTheTimersAlreadyFired() throws Exception {
    try (StateBackend backend = StateBackends.inMemory();
        TaskStateStore state = backend.open("0_0", Set.of("op"))) {
      List<Long> starts = new ArrayList<>();
      KeyValueStore store = state.store("op");
      KeyValueStore recording =
          (KeyValueStore)
              java.lang.reflect.Proxy.newProxyInstance(
                  KeyValueStore.class.getClassLoader(),
                  new Class<?>[] {KeyValueStore.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("range")) {
                      byte[] from = (byte[]) args[0];
                      starts.add(
                          from.length < 10
                              ? Long.MIN_VALUE
                              : java.nio.ByteBuffer.wrap(from, 2, 8).getLong() ^ Long.MIN_VALUE);
                    }
                    try {
                      return method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      TimerStore timers = new TimerStore(recording);
      for (long t = 10; t <= 30; t += 10) {
        timers.register(TimerStore.EVENT, t, k("x"));
      }
      timers.fireUpTo(TimerStore.EVENT, 15, (t, key) -> {});
      starts.clear();
      List<Long> fired = new ArrayList<>();
      timers.fireUpTo(TimerStore.EVENT, 25, (t, key) -> fired.add(t));
      assertThat(fired).containsExactly(20L);
      // The scans for due timers start past 15, the one for the next earliest time past 25.
      assertThat(starts).containsExactly(16L, 16L, 26L);
    }
  }
}
