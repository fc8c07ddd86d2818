package dev.weir.testing;

import dev.weir.internal.driver.DriverCore;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Pipes records into one source topic of a {@link WeirTestDriver}. Records without an explicit
 * timestamp get the last timestamp used on this topic (0 at first).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class TestInputTopic<K, V> {
  private final DriverCore core;
  private final String topic;
  private final Serializer<K> keys;
  private final Serializer<V> values;
  private long lastTimestamp;

  TestInputTopic(DriverCore core, String topic, Serializer<K> keys, Serializer<V> values) {
    if (!core.sourceTopics().contains(topic)) {
      throw new IllegalArgumentException(
          "Topic '" + topic + "' is not a source of the topology; sources: " + core.sourceTopics());
    }
    this.core = core;
    this.topic = topic;
    this.keys = keys;
    this.values = values;
  }

  /**
   * Pipes a value without key.
   *
   * @param value the value
   */
  public void pipeInput(V value) {
    pipeInput(null, value, lastTimestamp, new RecordHeaders());
  }

  /**
   * Pipes a value without key at an event time.
   *
   * @param value the value
   * @param timestamp the record's timestamp (event time), ms
   */
  public void pipeInput(V value, long timestamp) {
    pipeInput(null, value, timestamp, new RecordHeaders());
  }

  /**
   * Pipes a keyed record at an event time.
   *
   * @param key the key, may be null
   * @param value the value
   * @param timestamp the record's timestamp, ms
   */
  public void pipeInput(K key, V value, long timestamp) {
    pipeInput(key, value, timestamp, new RecordHeaders());
  }

  /**
   * Pipes a keyed record with headers.
   *
   * @param key the key, may be null
   * @param value the value, may be null (a tombstone)
   * @param timestamp the record's timestamp, ms
   * @param headers the record's headers
   */
  public void pipeInput(K key, V value, long timestamp, Headers headers) {
    lastTimestamp = timestamp;
    core.pipe(
        topic,
        key == null ? null : keys.serialize(topic, headers, key),
        value == null ? null : values.serialize(topic, headers, value),
        timestamp,
        headers);
  }

  /**
   * Pipes bytes exactly as a producer would have written them, bypassing this topic's serializers:
   * for bad-input tests (a record the source's deserializer rejects, a truncated payload). The
   * record goes through the source's deserializer and the configured error handling like any other;
   * this topic's last timestamp becomes {@code timestamp}.
   *
   * @param key the key's bytes, may be null
   * @param value the value's bytes, may be null (a tombstone)
   * @param timestamp the record's timestamp, ms
   */
  public void pipeRawInput(byte[] key, byte[] value, long timestamp) {
    lastTimestamp = timestamp;
    core.pipe(topic, key, value, timestamp, new RecordHeaders());
  }
}
