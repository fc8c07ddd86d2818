package dev.weir.functions;

/**
 * A {@link MapFunction} with a lifecycle and a {@link RuntimeContext}.
 *
 * @param <T> input type
 * @param <R> output type
 */
public abstract class RichMapFunction<T, R> extends AbstractRichFunction
    implements MapFunction<T, R> {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected RichMapFunction() {}
}
