package dev.weir.functions;

import java.io.Serializable;

/**
 * Like {@link JoinFunction}, but emits any number of records per pair (none to filter a pair out).
 *
 * @param <IN1> the first input's record type
 * @param <IN2> the second input's record type
 * @param <OUT> output type
 */
@FunctionalInterface
public interface FlatJoinFunction<IN1, IN2, OUT> extends Serializable {
  /**
   * Joins one pair. Called on the task's thread, never concurrently for one task.
   *
   * @param first the first input's record, never null
   * @param second the second input's record, never null
   * @param out the output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  void join(IN1 first, IN2 second, Collector<OUT> out) throws Exception;
}
