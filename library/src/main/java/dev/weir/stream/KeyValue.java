package dev.weir.stream;

/**
 * A Kafka record's key and value, for streams that need both.
 *
 * @param key the key; may be null (Kafka records may have no key)
 * @param value the value; may be null only for tombstones read from a topic
 * @param <K> key type
 * @param <V> value type
 */
public record KeyValue<K, V>(K key, V value) {
  /**
   * Creates a pair.
   *
   * @param key the key
   * @param value the value
   * @param <K> key type
   * @param <V> value type
   * @return the pair
   */
  public static <K, V> KeyValue<K, V> of(K key, V value) {
    return new KeyValue<>(key, value);
  }
}
