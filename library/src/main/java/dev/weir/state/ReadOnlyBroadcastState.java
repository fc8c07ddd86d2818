package dev.weir.state;

import java.util.Map;

/**
 * Broadcast state as the non-broadcast side of a broadcast process function sees it: read only, so
 * that every task keeps the same state (only the broadcast side, which every task reads in full,
 * writes it). One map per {@link MapStateDescriptor} given to {@code broadcast(...)}, kept in the
 * task's store and changelog.
 *
 * <p>Used only on the task's thread, during the call that handed it out.
 *
 * @param <K> map key type
 * @param <V> map value type
 */
public interface ReadOnlyBroadcastState<K, V> {
  /**
   * Returns the value of {@code key}.
   *
   * @param key the map key, not null
   * @return the value, or null when absent
   */
  V get(K key);

  /**
   * Returns whether {@code key} has a value.
   *
   * @param key the map key, not null
   * @return true when present
   */
  boolean contains(K key);

  /**
   * Returns a snapshot of every entry, in the serialised keys' byte order; changing it changes
   * nothing.
   *
   * @return an unmodifiable map, never null
   */
  Map<K, V> immutableEntries();
}
