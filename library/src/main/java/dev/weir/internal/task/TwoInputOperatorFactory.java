package dev.weir.internal.task;

import dev.weir.functions.OutputTag;
import java.util.function.Function;

/**
 * Creates the two-input operator instance of one task, as {@link OperatorFactory} does for one
 * input: called once per task, so user functions are copied here.
 *
 * @param <I1> the first input's record type
 * @param <I2> the second input's record type
 * @param <O> the output record type
 */
@FunctionalInterface
interface TwoInputOperatorFactory<I1, I2, O> {
  /**
   * Creates the operator of one task.
   *
   * @param name the operator's name, for errors and state
   * @param output where its main output goes
   * @param sideOutputs the emitter of each side output tag (a discarding one for unused tags)
   * @return a new operator, not yet opened
   */
  TwoInputOperator<I1, I2> create(
      String name, Emitter<O> output, Function<OutputTag<?>, Emitter<?>> sideOutputs);
}
