package dev.weir.store;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link ChangelogRestorer#restore} call did: an immutable value.
 *
 * <pre>{@code
 * RestoreResult result = restorer.restore(consumer, state, changelogs);
 * long counted = result.restoredRecords().get("counter-op.count");
 * }</pre>
 */
public final class RestoreResult {
  private final Map<String, Long> restoredRecords;
  private final Duration elapsed;

  RestoreResult(Map<String, Long> restoredRecords, Duration elapsed) {
    this.restoredRecords = Collections.unmodifiableMap(new TreeMap<>(restoredRecords));
    this.elapsed = elapsed;
  }

  /**
   * Returns the number of changelog records applied per store, including stores with none.
   *
   * @return store name to record count; unmodifiable, never null
   */
  public Map<String, Long> restoredRecords() {
    return restoredRecords;
  }

  /**
   * Returns the number of records applied across all stores.
   *
   * @return the sum of {@link #restoredRecords()}
   */
  public long totalRestored() {
    return restoredRecords.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Returns how long the restore took.
   *
   * @return the wall-clock duration; never null
   */
  public Duration elapsed() {
    return elapsed;
  }

  @Override
  public String toString() {
    return "RestoreResult{restoredRecords=" + restoredRecords + ", elapsed=" + elapsed + "}";
  }
}
