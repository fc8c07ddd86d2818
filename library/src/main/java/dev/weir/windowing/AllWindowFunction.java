package dev.weir.windowing;

import dev.weir.functions.Collector;
import java.io.Serializable;

/**
 * The simple full window function of {@code windowAll}.
 *
 * @param <IN> input type
 * @param <OUT> output type
 * @param <W> window type
 */
@FunctionalInterface
public interface AllWindowFunction<IN, OUT, W extends Window> extends Serializable {
  /**
   * Evaluates a window.
   *
   * @param window the window
   * @param values the records, or the one pre-aggregated result; without an evictor the records are
   *     decoded as the iterator reaches them, anew on each pass
   * @param out the output
   * @throws Exception handled by the processing error handler
   */
  void apply(W window, Iterable<IN> values, Collector<OUT> out) throws Exception;
}
