package dev.weir.state;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Declares a {@link MapState}. With TTL, each entry expires on its own.
 *
 * @param <K> map key type
 * @param <V> map value type
 */
public final class MapStateDescriptor<K, V> extends StateDescriptor<V> {
  private final Serde<K> keySerde;

  /**
   * Declares a map state.
   *
   * @param name unique within the operator
   * @param keySerde the map keys' serde; entries are iterated in the order of its bytes
   * @param valueSerde the map values' serde
   */
  public MapStateDescriptor(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    super(name, valueSerde);
    this.keySerde =
        Objects.requireNonNull(
            keySerde, () -> "MapStateDescriptor '" + name + "' has no key serde: pass one");
  }

  /**
   * Returns the map keys' serde.
   *
   * @return the serde
   */
  public Serde<K> keySerde() {
    return keySerde;
  }
}
