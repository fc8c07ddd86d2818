package dev.weir.functions;

/**
 * A {@link CoFlatMapFunction} with a lifecycle and a {@link RuntimeContext} (keyed state when both
 * connected streams are keyed).
 *
 * @param <I1> the first input's type
 * @param <I2> the second input's type
 * @param <O> output type
 */
public abstract class RichCoFlatMapFunction<I1, I2, O> extends AbstractRichFunction
    implements CoFlatMapFunction<I1, I2, O> {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected RichCoFlatMapFunction() {}
}
