package dev.weir.functions;

import java.io.Serializable;

/**
 * Transforms each record into zero, one or many output records.
 *
 * <pre>{@code
 * lines.flatMap((String line, Collector<String> out) -> {
 *   for (String word : line.split(" ")) {
 *     out.collect(word);
 *   }
 * });
 * }</pre>
 *
 * @param <T> input type
 * @param <R> output type
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends Serializable {
  /**
   * Processes one record.
   *
   * @param value the input record, never null
   * @param out where outputs go; valid only during this call
   * @throws Exception any failure; handled by the configured processing error handler
   */
  void flatMap(T value, Collector<R> out) throws Exception;
}
