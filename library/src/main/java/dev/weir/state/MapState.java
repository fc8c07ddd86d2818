package dev.weir.state;

import java.util.Map;

/**
 * A map per key. Each entry is stored on its own, so {@link #get} and {@link #put} (de)serialise
 * only the entry they touch; iteration scans the current key's entries in the order of their
 * serialised map keys.
 *
 * @param <K> map key type
 * @param <V> map value type
 */
public interface MapState<K, V> extends State {
  /**
   * Returns the value for {@code key}.
   *
   * @param key the map key; not null
   * @return the value, or null when absent or expired
   */
  V get(K key);

  /**
   * Sets the value for {@code key}.
   *
   * @param key the map key; not null
   * @param value the value; not null (use {@link #remove})
   */
  void put(K key, V value);

  /**
   * Puts every entry of {@code entries}.
   *
   * @param entries the entries; not null
   */
  void putAll(Map<K, V> entries);

  /**
   * Removes the entry for {@code key}, if any.
   *
   * @param key the map key; not null
   */
  void remove(K key);

  /**
   * Returns whether there is a live entry for {@code key}.
   *
   * @param key the map key; not null
   * @return true when present and not expired
   */
  boolean contains(K key);

  /**
   * Returns all live entries of the current key, in serialised-key order.
   *
   * @return a new map (insertion-ordered); empty when there are none
   */
  Map<K, V> entries();

  /**
   * Returns whether the current key has no live entries.
   *
   * @return true when empty
   */
  boolean isEmpty();
}
