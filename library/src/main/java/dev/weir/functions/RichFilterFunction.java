package dev.weir.functions;

/**
 * A {@link FilterFunction} with a lifecycle and a {@link RuntimeContext}.
 *
 * @param <T> input type
 */
public abstract class RichFilterFunction<T> extends AbstractRichFunction
    implements FilterFunction<T> {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected RichFilterFunction() {}
}
