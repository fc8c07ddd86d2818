package dev.weir.state;

/**
 * Broadcast state as the broadcast side sees it: readable and writable. Every task applies the same
 * broadcast records in the same order per broadcast partition, so write it only from what the
 * broadcast record says (not from the task's keyed state or clock), or tasks diverge.
 *
 * @param <K> map key type
 * @param <V> map value type
 */
public interface BroadcastState<K, V> extends ReadOnlyBroadcastState<K, V> {
  /**
   * Sets the value of {@code key}.
   *
   * @param key the map key, not null
   * @param value the value, not null (use {@link #remove})
   */
  void put(K key, V value);

  /**
   * Removes {@code key}; nothing happens when it is absent.
   *
   * @param key the map key, not null
   */
  void remove(K key);

  /** Removes every entry. */
  void clear();
}
