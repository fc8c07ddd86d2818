package dev.weir.internal.task;

import dev.weir.store.StateCache;
import org.junit.jupiter.api.Nested;

/**
 * {@link ListStateLayoutTest} with the write-back cache on, as the runtime runs it: at the default
 * budget (nothing evicted; a store that started empty answers reads from memory) and at a budget of
 * a few entries (evictions all the time, reads and scans mixing cached and stored elements). The
 * exact changelog counts are the same as without the cache: it only drops records for keys created
 * and deleted within one interval, which the overlay drops without it too (it then reads the store
 * to learn that they are absent).
 */
class ListStateLayoutCachedTest extends ListStateLayoutTest {
  @Override
  StateCache cache() {
    return StateCache.of(32L << 20);
  }

  @Nested
  class AtATinyBudget extends ListStateLayoutTest {
    @Override
    StateCache cache() {
      return StateCache.of(600);
    }
  }
}
