package dev.weir.store.internal;

import java.util.Arrays;
import java.util.Objects;

/**
 * Builds a RocksDB write batch in a Java byte array, in RocksDB's own serialized {@code WriteBatch}
 * format, so that adding an entry is a few array stores instead of a JNI call that copies the key
 * and value. {@link #toByteArray()} returns the bytes that {@code new
 * org.rocksdb.WriteBatch(byte[])} takes in one JNI call.
 *
 * <p>The format (RocksDB {@code db/write_batch.cc}); fixed-width integers are little-endian:
 *
 * <pre>
 *   batch     := sequence:fixed64 count:fixed32 record*
 *   record    := 0x01 varstring(key) varstring(value)                 put, column family 0
 *              | 0x00 varstring(key)                                  delete, column family 0
 *              | 0x05 varint32(cf id) varstring(key) varstring(value) put, other column family
 *              | 0x04 varint32(cf id) varstring(key)                  delete, other column family
 *   varstring := varint32(length) byte[length]
 * </pre>
 *
 * The sequence is written as 0: RocksDB assigns the real one when it writes the batch. The count is
 * the number of records.
 *
 * <p><b>Why depending on this format is safe.</b> It is not a private detail of the Java binding:
 * the serialized batch is exactly what RocksDB appends to its write-ahead log, and every release
 * must replay WAL files written by earlier ones, so these four record types cannot change
 * incompatibly without breaking recovery. {@code WriteBatchEncoderTest} builds the same batches
 * through the native {@code WriteBatch} of the rocksdbjni in use and compares the bytes, so an
 * upgrade that changed the format would fail the build, not corrupt state.
 *
 * <p><b>Limits.</b> A batch holds at most {@link #MAX_BATCH_BYTES} bytes (the largest array the JVM
 * reliably allocates) and {@link #MAX_RECORDS} records (RocksDB's count is an unsigned 32-bit
 * number; the batch SPI counts in a Java {@code int}). Keys and values are Java arrays, so their
 * lengths always fit a varint32. An entry that would pass a limit is refused with an {@link
 * IllegalStateException} naming it, and the batch is left as it was.
 *
 * <p><b>Memory.</b> The buffer grows by doubling and is kept by {@link #clear()} for reuse, except
 * that a buffer grown past {@link #RETAINED_CAPACITY} is dropped, so one huge batch does not pin
 * its memory for the life of the batch. Not thread-safe.
 */
final class WriteBatchEncoder {
  /** Bytes before the first record: the sequence number (fixed64) and the count (fixed32). */
  static final int HEADER_BYTES = 12;

  /** Where the count sits in the header. */
  private static final int COUNT_OFFSET = 8;

  /** The largest serialized batch: the largest Java array most JVMs allocate. */
  static final long MAX_BATCH_BYTES = Integer.MAX_VALUE - 8;

  /** The most records in one batch. */
  static final int MAX_RECORDS = Integer.MAX_VALUE;

  /** The capacity a fresh or shrunk encoder starts with. */
  static final int INITIAL_CAPACITY = 4 << 10;

  /** Buffers larger than this are released on {@link #clear()}. */
  static final int RETAINED_CAPACITY = 64 << 20;

  // RocksDB's ValueType tags (db/dbformat.h).
  private static final byte TYPE_DELETION = 0x00;
  private static final byte TYPE_VALUE = 0x01;
  private static final byte TYPE_COLUMN_FAMILY_DELETION = 0x04;
  private static final byte TYPE_COLUMN_FAMILY_VALUE = 0x05;

  private static final byte[] RELEASED = new byte[0];

  private final long maxBytes;
  private final int maxRecords;
  private byte[] buffer;
  private int length = HEADER_BYTES;
  private int count;

  /** Creates an encoder with the production limits. */
  WriteBatchEncoder() {
    this(MAX_BATCH_BYTES, MAX_RECORDS);
  }

  /** Creates an encoder with lower limits, so tests can reach them without gigabytes of heap. */
  WriteBatchEncoder(long maxBytes, int maxRecords) {
    if (maxBytes < HEADER_BYTES || maxBytes > MAX_BATCH_BYTES || maxRecords < 0) {
      throw new IllegalArgumentException(
          "Limits out of range: maxBytes=" + maxBytes + ", maxRecords=" + maxRecords);
    }
    this.maxBytes = maxBytes;
    this.maxRecords = maxRecords;
    this.buffer = new byte[(int) Math.min(INITIAL_CAPACITY, maxBytes)];
  }

  /**
   * Adds a put of {@code value[valueOffset, valueOffset + valueLength)}.
   *
   * @param columnFamilyId the column family's id ({@code ColumnFamilyHandle.getID()})
   * @throws IndexOutOfBoundsException if the range is not within {@code value}
   * @throws IllegalStateException if the batch would pass a limit
   */
  void put(int columnFamilyId, byte[] key, byte[] value, int valueOffset, int valueLength) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.checkFromIndexSize(valueOffset, valueLength, value.length);
    long recordBytes =
        prefixBytes(columnFamilyId)
            + varintLength(key.length)
            + key.length
            + varintLength(valueLength)
            + valueLength;
    int at = reserve(recordBytes);
    at = writePrefix(at, columnFamilyId, TYPE_VALUE, TYPE_COLUMN_FAMILY_VALUE);
    at = writeVarstring(at, key, 0, key.length);
    writeVarstring(at, value, valueOffset, valueLength);
  }

  /**
   * Adds a delete.
   *
   * @param columnFamilyId the column family's id ({@code ColumnFamilyHandle.getID()})
   * @throws IllegalStateException if the batch would pass a limit
   */
  void delete(int columnFamilyId, byte[] key) {
    Objects.requireNonNull(key, "key");
    long recordBytes = prefixBytes(columnFamilyId) + varintLength(key.length) + key.length;
    int at = reserve(recordBytes);
    at = writePrefix(at, columnFamilyId, TYPE_DELETION, TYPE_COLUMN_FAMILY_DELETION);
    writeVarstring(at, key, 0, key.length);
  }

  /** Returns the number of records (puts and deletes, in every column family). */
  int count() {
    return count;
  }

  /** Returns the length of the serialized batch, header included. */
  int sizeInBytes() {
    return length;
  }

  /** Returns the current buffer capacity, for tests of growth and shrinking. */
  int capacity() {
    return buffer.length;
  }

  /**
   * Returns the serialized batch: a new array of exactly {@link #sizeInBytes()} bytes (RocksJava's
   * {@code WriteBatch(byte[])} takes the whole array, so the buffer itself cannot be handed over).
   */
  byte[] toByteArray() {
    byte[] serialized = Arrays.copyOf(buffer, length);
    writeFixed32(serialized, COUNT_OFFSET, count);
    return serialized;
  }

  /** Removes all records, keeping the buffer unless it grew past {@link #RETAINED_CAPACITY}. */
  void clear() {
    if (buffer.length > RETAINED_CAPACITY) {
      buffer = new byte[INITIAL_CAPACITY];
    }
    length = HEADER_BYTES;
    count = 0;
  }

  /** Drops the buffer; the encoder must not be used afterwards. */
  void release() {
    buffer = RELEASED;
    length = HEADER_BYTES;
    count = 0;
  }

  /**
   * Makes room for one more record of {@code recordBytes} and counts it; returns where to write it.
   * Checks every limit before changing anything, so a refused record leaves the batch intact.
   */
  private int reserve(long recordBytes) {
    if (count >= maxRecords) {
      throw new IllegalStateException(
          "A write batch holds at most "
              + maxRecords
              + " puts and deletes (RocksDB counts them in 32 bits); apply this batch and clear"
              + " it before adding more");
    }
    long required = length + recordBytes;
    if (required > maxBytes) {
      throw new IllegalStateException(
          "A write batch holds at most "
              + maxBytes
              + " serialized bytes (the largest Java array); this one has "
              + length
              + " bytes and an entry of "
              + recordBytes
              + " more does not fit: apply this batch and clear it before adding more");
    }
    if (required > buffer.length) {
      long doubled = Math.max(2L * buffer.length, INITIAL_CAPACITY);
      buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max(doubled, required), maxBytes));
    }
    int at = length;
    length = (int) required;
    count++;
    return at;
  }

  private static int prefixBytes(int columnFamilyId) {
    return columnFamilyId == 0 ? 1 : 1 + varintLength(columnFamilyId);
  }

  /** Writes the record's tag and, outside column family 0, the column family id. */
  private int writePrefix(int at, int columnFamilyId, byte defaultTag, byte columnFamilyTag) {
    if (columnFamilyId == 0) {
      buffer[at] = defaultTag;
      return at + 1;
    }
    buffer[at] = columnFamilyTag;
    return writeVarint32(at + 1, columnFamilyId);
  }

  private int writeVarstring(int at, byte[] bytes, int offset, int byteCount) {
    int start = writeVarint32(at, byteCount);
    System.arraycopy(bytes, offset, buffer, start, byteCount);
    return start + byteCount;
  }

  /**
   * Writes {@code value}, read as unsigned, in 7-bit groups, least significant first, with the high
   * bit set on all but the last byte (RocksDB's {@code EncodeVarint32}).
   */
  private int writeVarint32(int at, int value) {
    int rest = value;
    while ((rest & ~0x7f) != 0) {
      buffer[at++] = (byte) ((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    buffer[at++] = (byte) rest;
    return at;
  }

  /** Returns how many bytes {@link #writeVarint32} writes for {@code value}, read as unsigned. */
  static int varintLength(int value) {
    // One byte per started 7-bit group of the significant bits; zero still takes one byte.
    int significantBits = Integer.SIZE - Integer.numberOfLeadingZeros(value | 1);
    return (significantBits + 6) / 7;
  }

  private static void writeFixed32(byte[] target, int at, int value) {
    target[at] = (byte) value;
    target[at + 1] = (byte) (value >>> 8);
    target[at + 2] = (byte) (value >>> 16);
    target[at + 3] = (byte) (value >>> 24);
  }
}
