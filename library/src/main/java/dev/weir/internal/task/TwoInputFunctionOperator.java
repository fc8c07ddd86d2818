package dev.weir.internal.task;

import dev.weir.functions.RichFunction;

/**
 * A two-input operator that runs one user function: holds this task's copy of it and drives its
 * lifecycle (runtime context and {@code open()} on open, {@code close()} on close) when it is rich,
 * as {@link FunctionOperator} does for one input.
 *
 * @param <I1> the first input's record type
 * @param <I2> the second input's record type
 * @param <F> the function type
 */
abstract class TwoInputFunctionOperator<I1, I2, F> extends TwoInputOperator<I1, I2> {
  protected final F function;

  TwoInputFunctionOperator(String name, F function) {
    super(name);
    this.function = FunctionCopier.copy(function, name);
  }

  @Override
  protected void doOpen() throws Exception {
    if (function instanceof RichFunction rich) {
      rich.setRuntimeContext(task.runtimeContext(name, storeName));
      rich.open();
    }
  }

  @Override
  public void close() throws Exception {
    if (function instanceof RichFunction rich) {
      rich.close();
    }
  }

  /**
   * Runs one call of the user's function, attributing failures: a failure further down the chain
   * passes through unchanged, the function's own is wrapped with this operator's name.
   */
  protected final void call(Call call) throws Exception {
    try {
      call.run();
    } catch (FunctionOperators.EmittingCollector.DownstreamFailure d) {
      throw (Exception) d.getCause();
    } catch (Exception e) {
      throw OperatorException.wrap(name, e);
    }
  }

  /** One call into the user's function. */
  @FunctionalInterface
  protected interface Call {
    void run() throws Exception;
  }
}
