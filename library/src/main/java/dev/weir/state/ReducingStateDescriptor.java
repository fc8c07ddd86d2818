package dev.weir.state;

import dev.weir.functions.ReduceFunction;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Declares a {@link ReducingState}.
 *
 * @param <T> value type
 */
public final class ReducingStateDescriptor<T> extends StateDescriptor<T> {
  private final ReduceFunction<T> reducer;

  /**
   * Declares a reducing state.
   *
   * @param name unique within the operator
   * @param reducer combines the stored value with an added one
   * @param serde the values' serde
   */
  public ReducingStateDescriptor(String name, ReduceFunction<T> reducer, Serde<T> serde) {
    super(name, serde);
    this.reducer = Objects.requireNonNull(reducer, "reducer");
  }

  /**
   * Returns the reduce function.
   *
   * @return the function
   */
  public ReduceFunction<T> reducer() {
    return reducer;
  }
}
