package dev.weir.functions;

import java.io.Serializable;

/**
 * Maps the records of two connected streams to one output type: {@link #map1} for records of the
 * first stream, {@link #map2} for records of the second, each called as soon as its record arrives.
 * The function cannot choose which input to read next. Without keyed inputs, which task sees which
 * record follows the inputs' partitioning.
 *
 * <pre>{@code
 * DataStream<String> both = numbers.connect(words).map(new CoMapFunction<Integer, String, String>() {
 *   public String map1(Integer n) { return "n=" + n; }
 *   public String map2(String w) { return "w=" + w; }
 * });
 * }</pre>
 *
 * @param <I1> the first input's type
 * @param <I2> the second input's type
 * @param <O> output type
 */
public interface CoMapFunction<I1, I2, O> extends Serializable {
  /**
   * Maps one record of the first input. Called on the task's thread, never concurrently with {@link
   * #map2} for one task.
   *
   * @param value the record, never null
   * @return the output record; must not be null
   * @throws Exception handled by the configured processing error handler
   */
  O map1(I1 value) throws Exception;

  /**
   * Maps one record of the second input, as {@link #map1}.
   *
   * @param value the record, never null
   * @return the output record; must not be null
   * @throws Exception handled by the configured processing error handler
   */
  O map2(I2 value) throws Exception;
}
