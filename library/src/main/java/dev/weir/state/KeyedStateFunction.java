package dev.weir.state;

/**
 * Visits the keyed state of one key, for {@code applyToKeyedState} of a keyed broadcast process
 * function: called once for every key of the task that has a value in the state.
 *
 * @param <K> key type
 * @param <S> the state type
 */
@FunctionalInterface
public interface KeyedStateFunction<K, S extends State> {
  /**
   * Processes the state of one key; it may read, update or clear it.
   *
   * @param key the key
   * @param state the state, scoped to {@code key} during this call
   * @throws Exception fails the broadcast record being processed
   */
  void process(K key, S state) throws Exception;
}
