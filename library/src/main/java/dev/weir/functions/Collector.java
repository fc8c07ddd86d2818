package dev.weir.functions;

/**
 * Receives the output records of a function. Records take the timestamp of the record (or timer)
 * being processed; user code cannot set timestamps.
 *
 * <p>A collector is owned by the library, valid only during the call it was passed to, and used
 * only from the task's thread.
 *
 * @param <T> output type
 */
public interface Collector<T> {
  /**
   * Emits one record downstream. Emitted objects must not be mutated afterwards.
   *
   * @param record the record; must not be null
   */
  void collect(T record);
}
