package dev.weir.serde.avro;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: byte 0 is the magic byte {@code 0}, bytes 1-4 the schema's registry id
 * as a big-endian signed 32-bit integer, and the rest the payload (here: the Avro binary encoding
 * of the value, without any container header). Stateless.
 */
public final class WireFormat {
  /** The first byte of every framed value. */
  public static final byte MAGIC = 0;

  /** Magic byte plus schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /**
   * Writes the header into the first {@link #HEADER_SIZE} bytes of {@code buffer}.
   *
   * @param buffer at least {@link #HEADER_SIZE} bytes
   * @param schemaId the registry id
   */
  public static void writeHeader(byte[] buffer, int schemaId) {
    buffer[0] = MAGIC;
    buffer[1] = (byte) (schemaId >>> 24);
    buffer[2] = (byte) (schemaId >>> 16);
    buffer[3] = (byte) (schemaId >>> 8);
    buffer[4] = (byte) schemaId;
  }

  /**
   * Reads the schema id of a framed value, checking the magic byte.
   *
   * @param topic for the error message
   * @param data the framed value; not null
   * @return the schema id
   * @throws SerializationException when the bytes are not in the wire format
   */
  public static int schemaId(String topic, byte[] data) {
    if (data.length < HEADER_SIZE) {
      throw new SerializationException(
          "A value of "
              + data.length
              + " bytes on '"
              + topic
              + "' is too short for the Confluent wire format (magic byte, 4-byte schema id,"
              + " payload): was it written by a serializer without a schema registry?");
    }
    if (data[0] != MAGIC) {
      throw new SerializationException(
          String.format(
              "A value on '%s' starts with byte 0x%02x, not the wire format's magic byte 0x00:"
                  + " it was not written by a schema-registry serializer (plain Avro or JSON?);"
                  + " read that topic with the serde its producer used",
              topic, data[0] & 0xff));
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
