package dev.weir.state;

/**
 * One value per key.
 *
 * @param <T> value type
 */
public interface ValueState<T> extends State {
  /**
   * Returns the current key's value.
   *
   * @return the value, or the descriptor's default (null unless one was given) when there is none
   *     or it expired
   */
  T value();

  /**
   * Sets the current key's value. {@code update(null)} is the same as {@link #clear()}.
   *
   * @param value the new value
   */
  void update(T value);
}
