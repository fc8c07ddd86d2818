package dev.weir.functions;

/**
 * An {@link AsyncFunction} with a lifecycle and a {@link RuntimeContext}: create the client in
 * {@link #open()} (once per task) and close it in {@link #close()}. The runtime context names the
 * operator and the task; async functions keep no keyed state (their results arrive out of the
 * current record's scope).
 *
 * @param <I> input type
 * @param <O> output type
 */
public abstract class RichAsyncFunction<I, O> extends AbstractRichFunction
    implements AsyncFunction<I, O> {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected RichAsyncFunction() {}
}
