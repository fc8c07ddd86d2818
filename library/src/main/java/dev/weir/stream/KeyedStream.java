package dev.weir.stream;

import dev.weir.internal.graph.Transformation;
import org.apache.kafka.common.serialization.Serde;

/**
 * A stream partitioned by key: every record of one key is processed by the same task, and keyed
 * state and timers of the operators applied to it are scoped to the current record's key.
 *
 * @param <T> record type
 * @param <K> key type
 */
public final class KeyedStream<T, K> extends DataStream<T> {
  private final Serde<K> keySerde;

  KeyedStream(StreamBuilder builder, Transformation<T> transformation, Serde<K> keySerde) {
    super(builder, transformation);
    this.keySerde = keySerde;
  }

  /**
   * Returns the keys' serde.
   *
   * @return the key serde
   */
  public Serde<K> keySerde() {
    return keySerde;
  }
}
