package dev.weir.functions;

import java.io.Serializable;

/**
 * Turns each record of two connected streams into any number of outputs: {@link #flatMap1} for
 * records of the first stream, {@link #flatMap2} for the second, each called as soon as its record
 * arrives.
 *
 * @param <I1> the first input's type
 * @param <I2> the second input's type
 * @param <O> output type
 */
public interface CoFlatMapFunction<I1, I2, O> extends Serializable {
  /**
   * Processes one record of the first input. Called on the task's thread, never concurrently with
   * {@link #flatMap2} for one task.
   *
   * @param value the record, never null
   * @param out where outputs go; valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  void flatMap1(I1 value, Collector<O> out) throws Exception;

  /**
   * Processes one record of the second input, as {@link #flatMap1}.
   *
   * @param value the record, never null
   * @param out where outputs go; valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  void flatMap2(I2 value, Collector<O> out) throws Exception;
}
