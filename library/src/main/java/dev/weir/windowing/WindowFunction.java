package dev.weir.windowing;

import dev.weir.functions.Collector;
import java.io.Serializable;

/**
 * The simple full window function: the key, the window and its records.
 *
 * @param <IN> record type
 * @param <OUT> output type
 * @param <K> key type
 * @param <W> window type
 */
@FunctionalInterface
public interface WindowFunction<IN, OUT, K, W extends Window> extends Serializable {
  /**
   * Evaluates a window.
   *
   * @param key the key
   * @param window the window
   * @param input the records (or the single pre-aggregated result); without an evictor the records
   *     are decoded as the iterator reaches them, anew on each pass
   * @param out the output; records are timestamped with the window's max timestamp
   * @throws Exception handled by the processing error handler
   */
  void apply(K key, W window, Iterable<IN> input, Collector<OUT> out) throws Exception;
}
