package dev.weir.functions;

import java.io.Serializable;

/** Base class for rich functions: stores the runtime context. */
public abstract class AbstractRichFunction implements RichFunction, Serializable {
  private static final long serialVersionUID = 1L;

  private transient RuntimeContext runtimeContext;

  /** Creates the function. */
  protected AbstractRichFunction() {}

  @Override
  public final void setRuntimeContext(RuntimeContext context) {
    this.runtimeContext = context;
  }

  @Override
  public final RuntimeContext getRuntimeContext() {
    if (runtimeContext == null) {
      throw new IllegalStateException(
          "The runtime context is available from open() on; it is not set yet for "
              + getClass().getName());
    }
    return runtimeContext;
  }
}
