package dev.weir.internal.task;

import dev.weir.functions.OutputTag;
import java.util.function.Function;

/**
 * Creates the operator instance of one task. Factories are part of the immutable topology; each
 * task calls {@link #create} once, so user functions are copied per task here.
 */
@FunctionalInterface
interface OperatorFactory<I, O> {
  Operator<I> create(
      String name, Emitter<O> output, Function<OutputTag<?>, Emitter<?>> sideOutputs);
}
