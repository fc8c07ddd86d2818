package dev.weir.state;

/**
 * State that folds added values into one result.
 *
 * @param <IN> the type of added values
 * @param <OUT> the type of the result
 */
public interface AppendingState<IN, OUT> extends State {
  /**
   * Returns the current key's result.
   *
   * @return the result, or null when nothing was added (or it expired)
   */
  OUT get();

  /**
   * Folds {@code value} into the current key's state.
   *
   * @param value the value; not null
   */
  void add(IN value);
}
