package dev.weir.state;

import org.apache.kafka.common.serialization.Serde;

/**
 * Declares a {@link ValueState}.
 *
 * <pre>{@code
 * ValueState<Long> count =
 *     getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long(), 0L));
 * }</pre>
 *
 * @param <T> value type
 */
public final class ValueStateDescriptor<T> extends StateDescriptor<T> {
  private final T defaultValue;

  /**
   * Declares a value state without a default: {@link ValueState#value()} returns null when unset.
   *
   * @param name unique within the operator
   * @param serde the values' serde
   */
  public ValueStateDescriptor(String name, Serde<T> serde) {
    this(name, serde, null);
  }

  /**
   * Declares a value state whose {@link ValueState#value()} returns {@code defaultValue} when
   * unset.
   *
   * @param name unique within the operator
   * @param serde the values' serde
   * @param defaultValue returned when unset; should be immutable
   */
  public ValueStateDescriptor(String name, Serde<T> serde, T defaultValue) {
    super(name, serde);
    this.defaultValue = defaultValue;
  }

  /**
   * Returns the default value.
   *
   * @return the default, or null
   */
  public T defaultValue() {
    return defaultValue;
  }
}
