package dev.weir.functions;

/**
 * A {@link FlatMapFunction} with a lifecycle and a {@link RuntimeContext}.
 *
 * @param <T> input type
 * @param <R> output type
 */
public abstract class RichFlatMapFunction<T, R> extends AbstractRichFunction
    implements FlatMapFunction<T, R> {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected RichFlatMapFunction() {}
}
