package dev.weir.testing;

import dev.weir.internal.driver.DriverCore;
import dev.weir.stream.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what a {@link WeirTestDriver}'s topology wrote to one topic, in write order. Reading
 * removes records.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TestOutputTopic<K, V> {
  /**
   * One output record.
   *
   * @param key the key, may be null
   * @param value the value, may be null
   * @param timestamp the record's timestamp
   * @param headers the record's headers, may be null
   * @param <K> key type
   * @param <V> value type
   */
  public record TestRecord<K, V>(K key, V value, long timestamp, Headers headers) {}

  private final DriverCore core;
  private final String topic;
  private final Deserializer<K> keys;
  private final Deserializer<V> values;

  TestOutputTopic(DriverCore core, String topic, Deserializer<K> keys, Deserializer<V> values) {
    this.core = core;
    this.topic = topic;
    this.keys = keys;
    this.values = values;
  }

  /**
   * Reads the next record.
   *
   * @return the record
   * @throws NoSuchElementException when the topic has no unread record
   */
  public TestRecord<K, V> readRecord() {
    DriverCore.Output o = core.poll(topic);
    if (o == null) {
      throw new NoSuchElementException("No unread record in topic " + topic);
    }
    return new TestRecord<>(
        o.key() == null ? null : keys.deserialize(topic, o.headers(), o.key()),
        o.value() == null ? null : values.deserialize(topic, o.headers(), o.value()),
        o.timestamp(),
        o.headers());
  }

  /**
   * Reads the next record's value.
   *
   * @return the value
   */
  public V readValue() {
    return readRecord().value();
  }

  /**
   * Reads the next record's key and value.
   *
   * @return the pair
   */
  public KeyValue<K, V> readKeyValue() {
    TestRecord<K, V> r = readRecord();
    return KeyValue.of(r.key(), r.value());
  }

  /**
   * Reads every unread value.
   *
   * @return the values in write order
   */
  public List<V> readValuesToList() {
    List<V> out = new ArrayList<>();
    while (!isEmpty()) {
      out.add(readValue());
    }
    return out;
  }

  /**
   * Reads every unread record.
   *
   * @return the records in write order
   */
  public List<TestRecord<K, V>> readRecordsToList() {
    List<TestRecord<K, V>> out = new ArrayList<>();
    while (!isEmpty()) {
      out.add(readRecord());
    }
    return out;
  }

  /**
   * Returns whether every record was read.
   *
   * @return true when nothing is unread
   */
  public boolean isEmpty() {
    return core.queued(topic) == 0;
  }

  /**
   * Returns how many records are unread.
   *
   * @return the count
   */
  public int queueSize() {
    return core.queued(topic);
  }
}
