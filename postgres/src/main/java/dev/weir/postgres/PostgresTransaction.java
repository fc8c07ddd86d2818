package dev.weir.postgres;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The handle of one transaction of a {@link PostgresSink}: its global transaction id (the name of
 * the prepared transaction) and its sequence number within the task.
 *
 * @param globalId the id given to {@code PREPARE TRANSACTION}; at most 200 bytes
 * @param sequence the task's transaction sequence number, from 0
 */
public record PostgresTransaction(String globalId, long sequence) {

  private static final byte VERSION = 1;

  /**
   * Checks the fields.
   *
   * @param globalId not null
   * @param sequence at least 0
   * @throws NullPointerException when {@code globalId} is null
   * @throws IllegalArgumentException when {@code sequence} is negative
   */
  public PostgresTransaction {
    Objects.requireNonNull(globalId, "globalId");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative: " + sequence);
    }
  }

  /**
   * The serde of handles: a version byte, the sequence, the id in UTF-8. Stable across versions.
   *
   * @return the serde
   */
  public static Serde<PostgresTransaction> serde() {
    Serializer<PostgresTransaction> serializer =
        (topic, t) -> {
          if (t == null) {
            return null;
          }
          byte[] id = t.globalId.getBytes(StandardCharsets.UTF_8);
          return ByteBuffer.allocate(1 + 8 + id.length)
              .put(VERSION)
              .putLong(t.sequence)
              .put(id)
              .array();
        };
    Deserializer<PostgresTransaction> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          ByteBuffer in = ByteBuffer.wrap(bytes);
          byte version = in.get();
          if (version != VERSION) {
            throw new IllegalArgumentException(
                "PostgreSQL sink handle of version "
                    + version
                    + "; this weir-postgres reads version "
                    + VERSION
                    + ": restore with the version that wrote it");
          }
          long sequence = in.getLong();
          byte[] id = new byte[in.remaining()];
          in.get(id);
          return new PostgresTransaction(new String(id, StandardCharsets.UTF_8), sequence);
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
