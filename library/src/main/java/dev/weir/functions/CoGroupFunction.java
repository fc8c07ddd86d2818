package dev.weir.functions;

import java.io.Serializable;

/**
 * Sees all records of one key in one window of a window coGroup, both inputs' at once. Unlike a
 * join it is called even when one side is empty, so it can express outer joins and anti-joins.
 *
 * @param <IN1> the first input's record type
 * @param <IN2> the second input's record type
 * @param <OUT> output type
 */
@FunctionalInterface
public interface CoGroupFunction<IN1, IN2, OUT> extends Serializable {
  /**
   * Evaluates one key's window. Called on the task's thread, never concurrently for one task.
   *
   * @param first the first input's records in the window, in arrival order; possibly empty, never
   *     null
   * @param second the second input's records in the window, in arrival order; possibly empty, never
   *     null (at least one of the two has a record)
   * @param out the output, valid only during this call; records are timestamped with the window's
   *     max timestamp
   * @throws Exception handled by the configured processing error handler
   */
  void coGroup(Iterable<IN1> first, Iterable<IN2> second, Collector<OUT> out) throws Exception;
}
