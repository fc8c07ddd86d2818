package dev.weir.internal.task;

import dev.weir.functions.RichFunction;

/**
 * An operator that runs one user function: holds this task's copy of it and drives its lifecycle
 * (runtime context and {@code open()} on open, {@code close()} on close) when it is rich.
 */
abstract class FunctionOperator<I, F> extends Operator<I> {
  protected final F function;

  FunctionOperator(String name, F function) {
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
}
