package dev.weir.functions;

import java.io.Serializable;

/**
 * Combines two values of the same type into one; used by reducing state, rolling {@code reduce} and
 * (later) window reductions. Must be associative and should not mutate its inputs.
 *
 * @param <T> value type
 */
@FunctionalInterface
public interface ReduceFunction<T> extends Serializable {
  /**
   * Combines {@code value1} (the accumulated value) with {@code value2} (the new one).
   *
   * @param value1 the value so far
   * @param value2 the new value
   * @return the combined value; not null
   * @throws Exception to fail the record (the configured error handler decides what happens)
   */
  T reduce(T value1, T value2) throws Exception;
}
