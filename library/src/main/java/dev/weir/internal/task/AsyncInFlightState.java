package dev.weir.internal.task;

import dev.weir.errors.WeirException;
import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The requests of one async operator that were in flight at a commit, in the operator's own store
 * (design record 015): one entry per request, keyed by the request's sequence number (8 bytes,
 * big-endian, so a scan returns them in input order), holding the input (with the input stream's
 * serde), the watermark it entered under and its record context (position, timestamp, key bytes,
 * headers and raw record, for results and error reports). The entry is written at the first commit
 * that finds the request in flight and deleted when its results are emitted, so the store holds
 * exactly the requests a restart must start again.
 *
 * <p>Used only by the task's thread.
 */
final class AsyncInFlightState<I> {
  private static final byte VERSION = 1;

  /** A request read back at restore. */
  record Restored<I>(long sequence, I input, RecordContext record, long watermark) {}

  private final KeyValueStore store;
  private final Serializer<I> serializer;
  private final Deserializer<I> deserializer;
  private final String serdeTopic;
  private final String operator;

  /**
   * @param store the operator's store; only this operator writes it
   * @param serde the input stream's serde, configured by the plan
   * @param serdeTopic the topic name the serde is called with
   * @param operator the operator's name, for error messages
   */
  AsyncInFlightState(KeyValueStore store, Serde<I> serde, String serdeTopic, String operator) {
    this.store = store;
    this.serializer = serde.serializer();
    this.deserializer = serde.deserializer();
    this.serdeTopic = serdeTopic;
    this.operator = operator;
  }

  /** The committed requests, in input order. */
  List<Restored<I>> load() {
    List<Restored<I>> out = new ArrayList<>();
    try (KeyValueIterator it = store.all()) {
      while (it.hasNext()) {
        KeyValueEntry e = it.next();
        out.add(decode(ByteBuffer.wrap(e.key()).getLong(), e.value()));
      }
    }
    return out;
  }

  /** Records request {@code sequence}; it joins the transaction being committed. */
  void put(long sequence, I input, RecordContext record, long watermark) {
    store.put(key(sequence), encode(input, record, watermark));
  }

  /** Forgets request {@code sequence}: its results were emitted. */
  void delete(long sequence) {
    store.delete(key(sequence));
  }

  private static byte[] key(long sequence) {
    return ByteBuffer.allocate(8).putLong(sequence).array();
  }

  private byte[] encode(I input, RecordContext r, long watermark) {
    byte[] value = serializer.serialize(serdeTopic, input);
    if (value == null) {
      throw new WeirException(
          "Async operator '"
              + operator
              + "': the input serde serialised record "
              + r.position()
              + " to null; a request in flight at a commit must be kept in the operator's"
              + " state. Give the input stream a serde that writes every value (.returns(serde))");
    }
    byte[] topic = r.topic == null ? null : r.topic.getBytes(StandardCharsets.UTF_8);
    List<byte[]> headerParts = new ArrayList<>();
    int size = 1 + 8 + 8 + 8 + 4 + 8 + 4 + len(topic) + 4 + len(r.keyBytes);
    size += 4 + len(r.rawKey) + 4 + len(r.rawValue) + 4 + 4 + value.length;
    if (r.headers != null) {
      for (Header h : r.headers) {
        byte[] k = h.key().getBytes(StandardCharsets.UTF_8);
        headerParts.add(k);
        headerParts.add(h.value());
        size += 4 + k.length + 4 + len(h.value());
      }
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(VERSION).putLong(watermark).putLong(r.timestamp).putLong(r.timerTime);
    b.putInt(r.partition).putLong(r.offset);
    putBytes(b, topic);
    putBytes(b, r.keyBytes);
    putBytes(b, r.rawKey);
    putBytes(b, r.rawValue);
    b.putInt(headerParts.size() / 2);
    for (byte[] part : headerParts) {
      putBytes(b, part);
    }
    b.putInt(value.length).put(value);
    return b.array();
  }

  private Restored<I> decode(long sequence, byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte version = b.get();
    if (version != VERSION) {
      throw new WeirException(
          "Async operator '"
              + operator
              + "': its state holds a request in flight of format "
              + version
              + ", this version of Weir reads "
              + VERSION
              + "; run the version that wrote it until it has no request in flight");
    }
    long watermark = b.getLong();
    RecordContext r = new RecordContext();
    long timestamp = b.getLong();
    long timerTime = b.getLong();
    int partition = b.getInt();
    long offset = b.getLong();
    byte[] topic = getBytes(b);
    byte[] keyBytes = getBytes(b);
    byte[] rawKey = getBytes(b);
    byte[] rawValue = getBytes(b);
    Headers headers = new RecordHeaders();
    int headerCount = b.getInt();
    for (int i = 0; i < headerCount; i++) {
      headers.add(new String(getBytes(b), StandardCharsets.UTF_8), getBytes(b));
    }
    r.set(
        topic == null ? null : new String(topic, StandardCharsets.UTF_8),
        partition,
        offset,
        timestamp,
        headers,
        rawKey,
        rawValue);
    r.keyBytes = keyBytes;
    r.timerTime = timerTime;
    I input = deserializer.deserialize(serdeTopic, getBytes(b));
    return new Restored<>(sequence, input, r, watermark);
  }

  private static int len(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  private static void putBytes(ByteBuffer b, byte[] bytes) {
    if (bytes == null) {
      b.putInt(-1);
    } else {
      b.putInt(bytes.length).put(bytes);
    }
  }

  private static byte[] getBytes(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0) {
      return null;
    }
    byte[] bytes = new byte[n];
    b.get(bytes);
    return bytes;
  }
}
