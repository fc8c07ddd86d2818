package dev.weir.store.internal;

import static dev.weir.store.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Guards {@link WriteBatchEncoder} against the rocksdbjni in use: every batch is built twice, once
 * through the native {@link WriteBatch} and once through the encoder, and the serialized bytes must
 * be identical. Then each is written to its own database, and the contents must be identical too.
 * If a RocksDB upgrade changed the format, these tests fail.
 */
class WriteBatchFormatGoldenTest {
  /** Column families 0 to 130: ids from 128 take two varint bytes. */
  private static final int EXTRA_COLUMN_FAMILIES = 130;

  /** Column family ids the tests write to: the default, one-byte and two-byte ids. */
  private static final int[] IDS = {0, 1, 2, 127, 128, 130};

  /** Lengths at which a varint32 changes width (1, 2, 3, 4 bytes), and either side. */
  private static final int[] BOUNDARY_LENGTHS = {
    0, 1, 127, 128, 129, 16_383, 16_384, 16_385, 2_097_151, 2_097_152
  };

  @TempDir Path directory;
  private ColumnFamilyDb nativeDb;
  private ColumnFamilyDb encodedDb;
  private final WriteBatchEncoder encoder = new WriteBatchEncoder();

  /** One put (value non-null) or delete of a logical batch. */
  private record Op(int columnFamily, byte[] key, byte[] value) {}

  @BeforeEach
  void open() throws RocksDBException {
    nativeDb = new ColumnFamilyDb(directory.resolve("native"), EXTRA_COLUMN_FAMILIES);
    encodedDb = new ColumnFamilyDb(directory.resolve("encoded"), EXTRA_COLUMN_FAMILIES);
  }

  @AfterEach
  void close() {
    nativeDb.close();
    encodedDb.close();
  }

  @Test
  void anEmptyBatchIsTheHeaderAlone() throws RocksDBException {
    assertThat(hex(check(List.of()))).isEqualTo("000000000000000000000000");
  }

  @Test
  void aPutInTheDefaultColumnFamilyIsTagKeyAndValue() throws RocksDBException {
    byte[] serialized = check(List.of(put(0, "k", "v")));
    // sequence 0, count 1, kTypeValue, varstring "k", varstring "v"
    assertThat(hex(serialized)).isEqualTo("0000000000000000" + "01000000" + "01" + "016b" + "0176");
  }

  @Test
  void aDeleteInAnotherColumnFamilyIsTagIdAndKey() throws RocksDBException {
    byte[] serialized = check(List.of(delete(128, "k")));
    // sequence 0, count 1, kTypeColumnFamilyDeletion, varint32 128, varstring "k"
    assertThat(hex(serialized)).isEqualTo("0000000000000000" + "01000000" + "04" + "8001" + "016b");
  }

  @Test
  void putsAndDeletesInTheDefaultColumnFamily() throws RocksDBException {
    check(
        List.of(
            put(0, "a", "1"),
            put(0, "b", ""),
            new Op(0, new byte[0], bytes("empty key")),
            delete(0, "a"),
            delete(0, "never written"),
            put(0, "b", "2")));
  }

  @Test
  void putsAndDeletesInOtherColumnFamilies() throws RocksDBException {
    List<Op> ops = new ArrayList<>();
    for (int id : IDS) {
      ops.add(put(id, "key", "value of " + id));
      ops.add(put(id, "empty", ""));
      ops.add(put(id, "gone", "soon"));
      ops.add(delete(id, "gone"));
    }
    check(ops);
  }

  @Test
  void keysAndValuesAcrossVarintWidths() throws RocksDBException {
    List<Op> ops = new ArrayList<>();
    for (int length : BOUNDARY_LENGTHS) {
      byte[] big = filled(length, length);
      ops.add(new Op(0, bytes("value " + length), big));
      ops.add(new Op(1, big, bytes("key " + length)));
      ops.add(new Op(128, big, filled(length, length + 1)));
      ops.add(new Op(130, big, null));
    }
    check(ops);
  }

  @Test
  void aValueSliceEncodesLikeTheCopiedRange() throws RocksDBException {
    byte[] record = filled(300, 7);
    encoder.put(0, bytes("a"), record, 10, 200);
    encoder.put(128, bytes("b"), record, 300, 0);
    encoder.put(1, bytes("c"), record, 0, 300);
    try (WriteBatch expected = new WriteBatch()) {
      expected.put(nativeDb.handle(0), bytes("a"), Arrays.copyOfRange(record, 10, 210));
      expected.put(nativeDb.handle(128), bytes("b"), new byte[0]);
      expected.put(nativeDb.handle(1), bytes("c"), record);
      assertThat(hex(encoder.toByteArray())).isEqualTo(hex(expected.data()));
    }
  }

  @Test
  void aClearedEncoderEncodesTheNextBatchAlone() throws RocksDBException {
    List<Op> first = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      first.add(put(i % 2 == 0 ? 0 : 128, "key " + i, "value " + i));
    }
    check(first);
    check(List.of(put(1, "x", "y"), delete(0, "key 0")));
  }

  /**
   * Mixed puts and deletes, over the column families and lengths of every width, batch after batch
   * through one reused encoder; keys repeat so that deletes and overwrites hit existing entries.
   */
  @Test
  void randomBatchesEncodeAndApplyLikeNativeOnes() throws RocksDBException {
    SplittableRandom random = new SplittableRandom(20_250_601L);
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      keys.add(filled(randomLength(random), i));
    }
    for (int batch = 0; batch < 20; batch++) {
      List<Op> ops = new ArrayList<>();
      int size = random.nextInt(300);
      for (int i = 0; i < size; i++) {
        int id = IDS[random.nextInt(IDS.length)];
        byte[] key = keys.get(random.nextInt(keys.size()));
        byte[] value = random.nextInt(4) == 0 ? null : filled(randomLength(random), i);
        ops.add(new Op(id, key, value));
      }
      check(ops);
    }
  }

  /** Mostly short lengths, as in practice, but every varint width up to 3 bytes occurs. */
  private static int randomLength(SplittableRandom random) {
    return switch (random.nextInt(10)) {
      case 0 -> random.nextInt(128, 16_384);
      case 1 -> random.nextInt(16_384, 20_000);
      default -> random.nextInt(128);
    };
  }

  /**
   * Builds the batch natively and through the {@link #encoder}, asserts equal bytes, writes each to
   * its database and asserts equal contents. Returns the serialized batch.
   */
  private byte[] check(List<Op> ops) throws RocksDBException {
    encoder.clear();
    for (Op op : ops) {
      if (op.value() == null) {
        encoder.delete(op.columnFamily(), op.key());
      } else {
        encoder.put(op.columnFamily(), op.key(), op.value(), 0, op.value().length);
      }
    }
    byte[] encoded = encoder.toByteArray();
    try (WriteBatch expected = new WriteBatch();
        WriteBatch decoded = new WriteBatch(encoded)) {
      for (Op op : ops) {
        if (op.value() == null) {
          expected.delete(nativeDb.handle(op.columnFamily()), op.key());
        } else {
          expected.put(nativeDb.handle(op.columnFamily()), op.key(), op.value());
        }
      }
      // Compared in hex so a mismatch shows where the bytes differ.
      assertThat(hex(encoded)).isEqualTo(hex(expected.data()));
      assertThat(decoded.count()).isEqualTo(ops.size()).isEqualTo(encoder.count());
      nativeDb.write(expected);
      encodedDb.write(decoded);
    }
    assertThat(encodedDb.contents()).isEqualTo(nativeDb.contents());
    return encoded;
  }

  private static Op put(int columnFamily, String key, String value) {
    return new Op(columnFamily, bytes(key), bytes(value));
  }

  private static Op delete(int columnFamily, String key) {
    return new Op(columnFamily, bytes(key), null);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** An array of {@code length} bytes that differ by position and by {@code seed}. */
  private static byte[] filled(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + seed);
    }
    return bytes;
  }
}
