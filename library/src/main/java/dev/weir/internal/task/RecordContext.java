package dev.weir.internal.task;

import org.apache.kafka.common.header.Headers;

/**
 * What the task knows about the record (or timer) being processed. One mutable instance per task,
 * reset for every input; read by operators and by error handlers to name the record's position.
 */
final class RecordContext {
  long timestamp;
  byte[] keyBytes;
  Object key;
  String topic;
  int partition;
  long offset;
  Headers headers;
  byte[] rawKey;
  byte[] rawValue;
  long timerTime = Long.MIN_VALUE;

  public long timestamp() {
    return timestamp;
  }

  public void setTimestamp(long timestamp) {
    this.timestamp = timestamp;
  }

  /** The serialised key of the current record in a keyed context; null when not keyed. */
  public byte[] keyBytes() {
    return keyBytes;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  public Headers headers() {
    return headers;
  }

  public byte[] rawKey() {
    return rawKey;
  }

  public byte[] rawValue() {
    return rawValue;
  }

  void set(
      String topic,
      int partition,
      long offset,
      long timestamp,
      Headers headers,
      byte[] rawKey,
      byte[] rawValue) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.headers = headers;
    this.rawKey = rawKey;
    this.rawValue = rawValue;
    this.keyBytes = null;
    this.key = null;
    this.timerTime = Long.MIN_VALUE;
  }

  /** A copy of this context: an async request keeps its record's context until its results. */
  RecordContext copy() {
    RecordContext c = new RecordContext();
    c.copyFrom(this);
    return c;
  }

  /** Makes this context the same as {@code o} (results of an async request carry its record's). */
  void copyFrom(RecordContext o) {
    set(o.topic, o.partition, o.offset, o.timestamp, o.headers, o.rawKey, o.rawValue);
    this.keyBytes = o.keyBytes;
    this.key = o.key;
    this.timerTime = o.timerTime;
  }

  /** Puts a firing timer in context: its key and time; no input record. */
  public void setTimer(long time, byte[] keyBytes) {
    set(null, -1, -1, time, null, null, null);
    this.keyBytes = keyBytes;
    this.timerTime = time;
  }

  /** "topic-partition@offset", the position error messages and dead letters name. */
  public String position() {
    if (topic == null) {
      return timerTime != Long.MIN_VALUE ? "(timer at " + timerTime + ")" : "(no input record)";
    }
    return topic + "-" + partition + "@" + offset;
  }
}
