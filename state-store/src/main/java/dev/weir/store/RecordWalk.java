package dev.weir.store;

import org.apache.kafka.common.errors.CorruptRecordException;

/**
 * Walks the records of one uncompressed record batch (Kafka's message format v2) in place, without
 * an object per record, for raw changelog reads (design record 030): each record's key and value
 * are handed on as ranges of the fetched array, so that a bulk load copies them once, straight into
 * its slabs.
 *
 * <p>A record in a v2 batch is: its length (a zigzag varint, counting the bytes after it), an
 * attributes byte, a timestamp delta (zigzag varlong), an offset delta (zigzag varint), the key
 * length (zigzag varint, negative for a null key) and key, the value length (the same, negative for
 * a null value) and value, then the headers, which the walk skips by the record's length. The
 * batch's header (its CRC, attributes, producer, base offset) is read and checked by the caller,
 * through Kafka's own batch classes; this walk checks only that every record lies inside the batch
 * and that the batch holds exactly its declared count.
 */
final class RecordWalk {
  /** Receives the records of a walk. */
  interface Sink {
    /**
     * @param array the array holding key and value
     * @param keyOffset where the key starts in {@code array}
     * @param keyLength the key's length, or -1 for a null key
     * @param valueOffset where the value starts in {@code array}
     * @param valueLength the value's length, or -1 for a null value (a tombstone)
     */
    void accept(
        long offset, byte[] array, int keyOffset, int keyLength, int valueOffset, int valueLength);
  }

  /** Bytes of a v2 batch before its first record (Kafka's {@code DefaultRecordBatch}). */
  static final int RECORDS_OFFSET = 61;

  /** Where a v2 batch holds its record count. */
  static final int RECORDS_COUNT_OFFSET = 57;

  /** Where a v2 batch holds its base offset. */
  static final int BASE_OFFSET_OFFSET = 0;

  private RecordWalk() {}

  /**
   * Walks one uncompressed v2 batch and hands every record with an offset in {@code [from, end)} to
   * {@code sink}, in order.
   *
   * @param array the array holding the batch
   * @param batchStart where the batch starts in {@code array} (its base offset field)
   * @param batchSize the batch's size in bytes, header included
   * @return the records handed to the sink
   * @throws CorruptRecordException if a record does not fit the batch or the count does not match
   */
  static int walk(byte[] array, int batchStart, int batchSize, long from, long end, Sink sink) {
    int batchEnd = batchStart + batchSize;
    if (batchSize < RECORDS_OFFSET || batchEnd > array.length || batchStart < 0) {
      throw new CorruptRecordException("record batch of " + batchSize + " bytes out of range");
    }
    long baseOffset = readLong(array, batchStart + BASE_OFFSET_OFFSET);
    int count = readInt(array, batchStart + RECORDS_COUNT_OFFSET);
    if (count < 0) {
      throw new CorruptRecordException("record batch with a negative record count " + count);
    }
    int[] at = {batchStart + RECORDS_OFFSET};
    int handed = 0;
    for (int i = 0; i < count; i++) {
      int length = readVarint(array, at, batchEnd);
      int bodyStart = at[0];
      int bodyEnd = bodyStart + length;
      if (length < 0 || bodyEnd > batchEnd || bodyEnd < bodyStart) {
        throw corrupt(baseOffset, i, "its length " + length + " passes the batch's end");
      }
      at[0] = bodyStart + 1; // attributes, unused
      skipVarlong(array, at, bodyEnd);
      int offsetDelta = readVarint(array, at, bodyEnd);
      int keyLength = readVarint(array, at, bodyEnd);
      int keyOffset = at[0];
      if (keyLength < 0) {
        keyLength = -1;
      } else if (keyLength > bodyEnd - keyOffset) {
        throw corrupt(baseOffset, i, "its key passes the record's end");
      } else {
        at[0] = keyOffset + keyLength;
      }
      int valueLength = readVarint(array, at, bodyEnd);
      int valueOffset = at[0];
      if (valueLength < 0) {
        valueLength = -1;
      } else if (valueLength > bodyEnd - valueOffset) {
        throw corrupt(baseOffset, i, "its value passes the record's end");
      }
      at[0] = bodyEnd; // the headers are not needed
      long offset = baseOffset + offsetDelta;
      if (offset >= from && offset < end) {
        sink.accept(offset, array, keyOffset, keyLength, valueOffset, valueLength);
        handed++;
      }
    }
    if (at[0] != batchEnd) {
      throw new CorruptRecordException(
          "record batch at offset "
              + baseOffset
              + " has "
              + (batchEnd - at[0])
              + " bytes after its "
              + count
              + " records");
    }
    return handed;
  }

  private static CorruptRecordException corrupt(long baseOffset, int index, String why) {
    return new CorruptRecordException(
        "record " + index + " of the batch at offset " + baseOffset + " is corrupt: " + why);
  }

  /** A zigzag varint of at most 5 bytes, from {@code at[0]}, which it moves past it. */
  static int readVarint(byte[] b, int[] at, int limit) {
    int i = at[0];
    int raw = 0;
    int shift = 0;
    while (true) {
      if (i >= limit) {
        throw new CorruptRecordException("varint passes the end of its record");
      }
      byte x = b[i++];
      raw |= (x & 0x7f) << shift;
      if (x >= 0) {
        break;
      }
      shift += 7;
      if (shift > 28) {
        throw new CorruptRecordException("varint longer than 5 bytes");
      }
    }
    at[0] = i;
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Skips a varlong of at most 10 bytes. */
  static void skipVarlong(byte[] b, int[] at, int limit) {
    int i = at[0];
    for (int n = 0; ; n++) {
      if (i >= limit) {
        throw new CorruptRecordException("varlong passes the end of its record");
      }
      if (n >= 10) {
        throw new CorruptRecordException("varlong longer than 10 bytes");
      }
      if (b[i++] >= 0) {
        break;
      }
    }
    at[0] = i;
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static long readLong(byte[] b, int at) {
    return ((long) readInt(b, at) << 32) | (readInt(b, at + 4) & 0xffffffffL);
  }
}
