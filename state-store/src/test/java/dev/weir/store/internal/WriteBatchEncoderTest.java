package dev.weir.store.internal;

import static dev.weir.store.TestBytes.bytes;
import static dev.weir.store.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The encoder on its own: varints RocksDB cannot be made to produce (five-byte ids), the count, the
 * limits and the buffer's life. {@link WriteBatchFormatGoldenTest} checks the format against
 * RocksDB.
 */
class WriteBatchEncoderTest {
  private static final String HEADER_OF_ONE = "0000000000000000" + "01000000";

  @Test
  void varintLengthsChangeAtEverySevenBits() {
    assertThat(WriteBatchEncoder.varintLength(0)).isEqualTo(1);
    assertThat(WriteBatchEncoder.varintLength(127)).isEqualTo(1);
    assertThat(WriteBatchEncoder.varintLength(128)).isEqualTo(2);
    assertThat(WriteBatchEncoder.varintLength(16_383)).isEqualTo(2);
    assertThat(WriteBatchEncoder.varintLength(16_384)).isEqualTo(3);
    assertThat(WriteBatchEncoder.varintLength((1 << 21) - 1)).isEqualTo(3);
    assertThat(WriteBatchEncoder.varintLength(1 << 21)).isEqualTo(4);
    assertThat(WriteBatchEncoder.varintLength((1 << 28) - 1)).isEqualTo(4);
    assertThat(WriteBatchEncoder.varintLength(1 << 28)).isEqualTo(5);
    assertThat(WriteBatchEncoder.varintLength(Integer.MAX_VALUE)).isEqualTo(5);
    assertThat(WriteBatchEncoder.varintLength(-1)).as("read as unsigned").isEqualTo(5);
  }

  @Test
  void columnFamilyIdsAreUnsignedVarints() {
    WriteBatchEncoder encoder = new WriteBatchEncoder();
    encoder.delete(1 << 28, bytes(0x6b));
    assertThat(hex(encoder.toByteArray())).isEqualTo(HEADER_OF_ONE + "04" + "8080808001" + "016b");
    encoder.clear();
    encoder.delete(-1, bytes(0x6b));
    assertThat(hex(encoder.toByteArray())).isEqualTo(HEADER_OF_ONE + "04" + "ffffffff0f" + "016b");
  }

  @Test
  void theCountIsLittleEndianAndIncludesDeletes() {
    WriteBatchEncoder encoder = new WriteBatchEncoder();
    for (int i = 0; i < 150; i++) {
      encoder.put(0, bytes(i), bytes(i), 0, 1);
      encoder.delete(3, bytes(i));
    }
    assertThat(encoder.count()).isEqualTo(300);
    assertThat(hex(encoder.toByteArray()).substring(16, 24)).isEqualTo("2c010000");
  }

  @Test
  void anEntryPastTheByteLimitIsRefusedNamingItAndChangesNothing() {
    // Header 12 + two puts of 1 + 1 + 1 + 1 + 10 = 14 bytes: 40 bytes.
    WriteBatchEncoder encoder = new WriteBatchEncoder(50, WriteBatchEncoder.MAX_RECORDS);
    encoder.put(0, bytes(1), new byte[10], 0, 10);
    encoder.put(0, bytes(2), new byte[10], 0, 10);
    String before = hex(encoder.toByteArray());
    assertThatThrownBy(() -> encoder.put(0, bytes(3), new byte[10], 0, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at most 50 serialized bytes")
        .hasMessageContaining("has 40 bytes and an entry of 14 more");
    assertThat(hex(encoder.toByteArray())).isEqualTo(before);
    assertThat(encoder.count()).isEqualTo(2);
    encoder.delete(0, bytes(3));
    assertThat(encoder.sizeInBytes()).as("what still fits is taken").isEqualTo(43);
  }

  @Test
  void anEntryLargerThanTheLimitIsRefusedBeforeTheBufferGrows() {
    assertThat(WriteBatchEncoder.MAX_BATCH_BYTES).isEqualTo(Integer.MAX_VALUE - 8);
    WriteBatchEncoder encoder = new WriteBatchEncoder(1 << 20, WriteBatchEncoder.MAX_RECORDS);
    byte[] big = new byte[1 << 20];
    assertThatThrownBy(() -> encoder.put(0, bytes(1), big, 0, big.length))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at most 1048576 serialized bytes");
    assertThat(encoder.capacity()).isEqualTo(WriteBatchEncoder.INITIAL_CAPACITY);
    assertThat(encoder.sizeInBytes()).isEqualTo(WriteBatchEncoder.HEADER_BYTES);
  }

  @Test
  void anEntryPastTheRecordLimitIsRefusedNamingIt() {
    WriteBatchEncoder encoder = new WriteBatchEncoder(WriteBatchEncoder.MAX_BATCH_BYTES, 2);
    encoder.put(0, bytes(1), bytes(1), 0, 1);
    encoder.delete(0, bytes(2));
    String before = hex(encoder.toByteArray());
    assertThatThrownBy(() -> encoder.delete(0, bytes(3)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("at most 2 puts and deletes");
    assertThatThrownBy(() -> encoder.put(0, bytes(3), bytes(3), 0, 1))
        .isInstanceOf(IllegalStateException.class);
    assertThat(hex(encoder.toByteArray())).isEqualTo(before);
    encoder.clear();
    encoder.delete(0, bytes(3));
    assertThat(encoder.count()).isEqualTo(1);
  }

  @Test
  void aValueRangeOutsideTheArrayIsRefusedAndChangesNothing() {
    WriteBatchEncoder encoder = new WriteBatchEncoder();
    byte[] value = new byte[10];
    assertThatThrownBy(() -> encoder.put(0, bytes(1), value, 5, 6))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> encoder.put(0, bytes(1), value, -1, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> encoder.put(0, bytes(1), value, 0, -1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(encoder.count()).isZero();
    assertThat(encoder.sizeInBytes()).isEqualTo(WriteBatchEncoder.HEADER_BYTES);
  }

  @Test
  void theBufferGrowsByDoublingAndClearKeepsIt() {
    WriteBatchEncoder encoder = new WriteBatchEncoder();
    int initial = WriteBatchEncoder.INITIAL_CAPACITY;
    assertThat(encoder.capacity()).isEqualTo(initial);
    byte[] value = new byte[1000];
    // Each put takes 1,005 bytes: tag, key length, key, a two-byte value length, value.
    while (encoder.sizeInBytes() + 1005 <= initial) {
      encoder.put(0, bytes(1), value, 0, value.length);
    }
    assertThat(encoder.capacity()).isEqualTo(initial);
    encoder.put(0, bytes(1), value, 0, value.length);
    assertThat(encoder.capacity()).isEqualTo(2 * initial);
    while (encoder.sizeInBytes() <= 2 * initial) {
      encoder.put(0, bytes(1), value, 0, value.length);
    }
    assertThat(encoder.capacity()).isEqualTo(4 * initial);
    encoder.clear();
    assertThat(encoder.capacity()).isEqualTo(4 * initial);
    assertThat(encoder.sizeInBytes()).isEqualTo(WriteBatchEncoder.HEADER_BYTES);
    assertThat(encoder.count()).isZero();
  }

  @Test
  void anEntryLargerThanDoubleTheBufferGrowsItToFit() {
    WriteBatchEncoder encoder = new WriteBatchEncoder();
    byte[] value = new byte[5 * WriteBatchEncoder.INITIAL_CAPACITY];
    encoder.put(0, bytes(1), value, 0, value.length);
    assertThat(encoder.capacity()).isEqualTo(encoder.sizeInBytes());
  }

  @Test
  void clearDropsABufferThatGrewPastTheRetainedCapacity() {
    WriteBatchEncoder encoder = new WriteBatchEncoder();
    byte[] huge = new byte[WriteBatchEncoder.RETAINED_CAPACITY];
    encoder.put(0, bytes(1), huge, 0, huge.length);
    assertThat(encoder.capacity()).isGreaterThan(WriteBatchEncoder.RETAINED_CAPACITY);
    encoder.clear();
    assertThat(encoder.capacity()).isEqualTo(WriteBatchEncoder.INITIAL_CAPACITY);
    encoder.put(0, bytes(1), bytes(2), 0, 1);
    assertThat(hex(encoder.toByteArray())).isEqualTo(HEADER_OF_ONE + "01" + "0101" + "0102");
  }
}
