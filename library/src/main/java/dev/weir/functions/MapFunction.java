package dev.weir.functions;

import java.io.Serializable;

/**
 * Transforms each record into exactly one output record.
 *
 * <pre>{@code
 * DataStream<Integer> lengths = words.map(String::length).returns(Serdes.Integer());
 * }</pre>
 *
 * @param <T> input type
 * @param <R> output type
 */
@FunctionalInterface
public interface MapFunction<T, R> extends Serializable {
  /**
   * Maps one record. Called on the task's thread, never concurrently for one task.
   *
   * @param value the input record, never null
   * @return the output record; must not be null
   * @throws Exception any failure; handled by the configured processing error handler
   */
  R map(T value) throws Exception;
}
