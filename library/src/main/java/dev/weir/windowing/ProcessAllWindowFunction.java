package dev.weir.windowing;

import dev.weir.functions.AbstractRichFunction;
import dev.weir.functions.Collector;

/**
 * The full window function of {@code windowAll}: all records of a window, across keys.
 *
 * @param <IN> input type
 * @param <OUT> output type
 * @param <W> window type
 */
public abstract class ProcessAllWindowFunction<IN, OUT, W extends Window>
    extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** For subclasses. */
  protected ProcessAllWindowFunction() {}

  /**
   * Evaluates a window.
   *
   * @param window the window
   * @param elements the records, or the one pre-aggregated result; without an evictor the records
   *     are decoded as the iterator reaches them, anew on each pass
   * @param out the output; timestamped with the window's max timestamp
   * @throws Exception handled by the processing error handler
   */
  public abstract void process(W window, Iterable<IN> elements, Collector<OUT> out)
      throws Exception;
}
