package dev.weir.internal.task;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A list of records as one state value: {@code [count int32]} then {@code [length int32][bytes]}
 * per record, each serialised with the records' own serde. The interval join keeps the records of
 * one key and timestamp this way. Kafka's {@code ListSerde} is not used because it refuses {@code
 * configure} once built with an inner serde, and every state serde is configured.
 *
 * <p>{@link #configure} is deliberately a no-op: the inner serde is the stream's own, already
 * configured for its topic, and configuring it again for state would change it there too.
 *
 * @param <T> record type
 */
final class RecordListSerde<T>
    implements Serde<List<T>>, Serializer<List<T>>, Deserializer<List<T>> {
  private final Serializer<T> inner;
  private final Deserializer<T> innerDeserializer;

  RecordListSerde(Serde<T> records) {
    this.inner = records.serializer();
    this.innerDeserializer = records.deserializer();
  }

  @Override
  public byte[] serialize(String topic, List<T> data) {
    if (data == null) {
      return null;
    }
    byte[][] parts = new byte[data.size()][];
    int size = 4;
    for (int i = 0; i < parts.length; i++) {
      parts[i] = inner.serialize(topic, data.get(i));
      size += 4 + parts[i].length;
    }
    ByteBuffer b = ByteBuffer.allocate(size).putInt(parts.length);
    for (byte[] p : parts) {
      b.putInt(p.length).put(p);
    }
    return b.array();
  }

  @Override
  public List<T> deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    int n = b.getInt();
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] p = new byte[b.getInt()];
      b.get(p);
      out.add(innerDeserializer.deserialize(topic, p));
    }
    return out;
  }

  /**
   * The list {@code list} (serialised by this serde; null for none) with one more record, {@code
   * element} (serialised by the records' serde), appended without deserialising the others.
   */
  static byte[] appended(byte[] list, byte[] element) {
    if (list == null) {
      return ByteBuffer.allocate(8 + element.length)
          .putInt(1)
          .putInt(element.length)
          .put(element)
          .array();
    }
    ByteBuffer b = ByteBuffer.allocate(list.length + 4 + element.length);
    b.putInt(ByteBuffer.wrap(list).getInt() + 1).put(list, 4, list.length - 4);
    return b.putInt(element.length).put(element).array();
  }

  /** Serialises one record with the records' own serde. */
  byte[] serializeRecord(String topic, T record) {
    return inner.serialize(topic, record);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}

  @Override
  public Serializer<List<T>> serializer() {
    return this;
  }

  @Override
  public Deserializer<List<T>> deserializer() {
    return this;
  }
}
