package dev.weir.stream;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serialises a {@link KeyValue} as one value: a format version byte, the key's length (-1 for
 * null), the key bytes, then the value bytes. Used where a stream of pairs crosses a topic.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class KeyValueSerde<K, V> implements Serde<KeyValue<K, V>> {
  private static final byte VERSION = 1;

  private final Serde<K> keySerde;
  private final Serde<V> valueSerde;

  /**
   * Creates the serde.
   *
   * @param keySerde the keys' serde
   * @param valueSerde the values' serde
   */
  public KeyValueSerde(Serde<K> keySerde, Serde<V> valueSerde) {
    this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
    this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
  }

  /**
   * Configures the key serde as a key serde and the value serde as a value serde, whatever {@code
   * isKey} says (both halves travel in one record value).
   *
   * @param configs the configuration; Weir passes the application's
   * @param isKey ignored
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    keySerde.configure(configs, true);
    valueSerde.configure(configs, false);
  }

  @Override
  public Serializer<KeyValue<K, V>> serializer() {
    Serializer<K> ks = keySerde.serializer();
    Serializer<V> vs = valueSerde.serializer();
    return (topic, kv) -> {
      if (kv == null) {
        return null;
      }
      byte[] k = kv.key() == null ? null : ks.serialize(topic, kv.key());
      byte[] v = kv.value() == null ? new byte[0] : vs.serialize(topic, kv.value());
      int kl = k == null ? 0 : k.length;
      ByteBuffer b = ByteBuffer.allocate(1 + 4 + kl + v.length);
      b.put(VERSION).putInt(k == null ? -1 : k.length);
      if (k != null) {
        b.put(k);
      }
      return b.put(v).array();
    };
  }

  @Override
  public Deserializer<KeyValue<K, V>> deserializer() {
    Deserializer<K> kd = keySerde.deserializer();
    Deserializer<V> vd = valueSerde.deserializer();
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(data);
      byte version = b.get();
      if (version != VERSION) {
        throw new SerializationException(
            "KeyValue record has format version "
                + version
                + "; this Weir reads version "
                + VERSION
                + ". Upgrade Weir to read it.");
      }
      int kl = b.getInt();
      K key = null;
      if (kl >= 0) {
        byte[] k = new byte[kl];
        b.get(k);
        key = kd.deserialize(topic, k);
      }
      byte[] v = new byte[b.remaining()];
      b.get(v);
      return new KeyValue<>(key, vd.deserialize(topic, v));
    };
  }
}
