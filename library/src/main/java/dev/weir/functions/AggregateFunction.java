package dev.weir.functions;

import java.io.Serializable;

/**
 * An incremental aggregation: an accumulator is created, updated with each value and read out as a
 * result. Used by aggregating state, rolling {@code aggregate} and (later) window aggregation.
 *
 * @param <IN> the type of aggregated values
 * @param <ACC> the accumulator type (what is stored; needs a serde)
 * @param <OUT> the result type
 */
public interface AggregateFunction<IN, ACC, OUT> extends Serializable {
  /**
   * Creates an empty accumulator.
   *
   * @return a new accumulator
   */
  ACC createAccumulator();

  /**
   * Adds a value; may mutate and return {@code accumulator}.
   *
   * @param value the value
   * @param accumulator the accumulator
   * @return the updated accumulator
   */
  ACC add(IN value, ACC accumulator);

  /**
   * Reads the result out of an accumulator.
   *
   * @param accumulator the accumulator
   * @return the result
   */
  OUT getResult(ACC accumulator);

  /**
   * Merges two accumulators (used by merging windows).
   *
   * @param a one accumulator
   * @param b another
   * @return the merged accumulator
   */
  ACC merge(ACC a, ACC b);
}
