package dev.weir.state;

import org.apache.kafka.common.serialization.Serde;

/**
 * Declares a {@link ListState}. With TTL, each element expires on its own.
 *
 * @param <T> element type
 */
public final class ListStateDescriptor<T> extends StateDescriptor<T> {
  /**
   * Declares a list state.
   *
   * @param name unique within the operator
   * @param elementSerde the elements' serde
   */
  public ListStateDescriptor(String name, Serde<T> elementSerde) {
    super(name, elementSerde);
  }
}
