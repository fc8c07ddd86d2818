package dev.weir.state;

import dev.weir.functions.AggregateFunction;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Declares an {@link AggregatingState}: the accumulator is what is stored.
 *
 * @param <IN> the type of added values
 * @param <ACC> the accumulator type
 * @param <OUT> the result type
 */
public final class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<ACC> {
  private final AggregateFunction<IN, ACC, OUT> aggregator;

  /**
   * Declares an aggregating state.
   *
   * @param name unique within the operator
   * @param aggregator creates, updates and reads the accumulator
   * @param accumulatorSerde the accumulator's serde
   */
  public AggregatingStateDescriptor(
      String name, AggregateFunction<IN, ACC, OUT> aggregator, Serde<ACC> accumulatorSerde) {
    super(name, accumulatorSerde);
    this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
  }

  /**
   * Returns the aggregate function.
   *
   * @return the function
   */
  public AggregateFunction<IN, ACC, OUT> aggregator() {
    return aggregator;
  }
}
