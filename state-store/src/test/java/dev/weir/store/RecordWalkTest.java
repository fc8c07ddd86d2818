package dev.weir.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.Test;

/**
 * The in-place record walk of raw changelog reads (design record 030) against record batches built
 * by Kafka's own {@link MemoryRecordsBuilder}: every record's offset, key and value as Kafka's
 * iterator reads them, over varints of one to three bytes, null keys and values (negative lengths),
 * empty ones, headers (skipped), timestamps far from the batch's base; the offset range; corrupt
 * batches; and {@link RawChangelogReader.Fetched#forEach} over uncompressed and compressed batches
 * in a buffer that starts inside its array, as a fetch response's records do.
 */
class RecordWalkTest {

  /** One record as read: offset, key and value (null for null). */
  private record Read(long offset, String key, String value) {}

  private static String text(byte[] array, int offset, int length) {
    return length < 0 ? null : new String(array, offset, length, UTF_8);
  }

  private static String text(ByteBuffer b) {
    if (b == null) {
      return null;
    }
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return new String(out, UTF_8);
  }

  private static byte[] bytes(String s) {
    return s == null ? null : s.getBytes(UTF_8);
  }

  private static final Header[] HEADERS = {
    new RecordHeader("h1", bytes("x".repeat(300))),
    new RecordHeader("a-longer-header-key", null),
    new RecordHeader("h3", new byte[0])
  };

  /** Keys and values whose lengths take one, two and three varint bytes, nulls and empties. */
  private static MemoryRecords batch(long baseOffset, Compression compression) {
    MemoryRecordsBuilder b =
        MemoryRecords.builder(
            ByteBuffer.allocate(1 << 20), compression, TimestampType.CREATE_TIME, baseOffset);
    long t = 1_700_000_000_000L;
    int[] sizes = {0, 1, 63, 64, 100, 8191, 8192, 20_000};
    long offset = baseOffset;
    for (int ks : sizes) {
      for (int vs : new int[] {0, 63, 64, 9000}) {
        b.appendWithOffset(
            offset++, t + offset * 1_000_003L, bytes("k".repeat(ks)), bytes("v" + "w".repeat(vs)));
      }
    }
    b.appendWithOffset(offset++, t, (byte[]) null, bytes("a value without a key"));
    b.appendWithOffset(offset++, t, bytes("tombstone"), (byte[]) null);
    b.appendWithOffset(offset++, t, (byte[]) null, (byte[]) null);
    b.appendWithOffset(offset++, 0L, bytes("with headers"), bytes("after them"), HEADERS);
    b.appendWithOffset(offset++, Long.MAX_VALUE / 4, bytes("far timestamp"), bytes("value"));
    // A gap in the offsets, as compaction leaves.
    b.appendWithOffset(offset + 5, t, bytes("after a gap"), bytes("last"), HEADERS);
    return b.build();
  }

  private static List<Read> kafkaRead(MemoryRecords records, long from, long end) {
    List<Read> out = new ArrayList<>();
    for (MutableRecordBatch batch : records.batches()) {
      for (Record r : batch) {
        if (r.offset() >= from && r.offset() < end) {
          out.add(
              new Read(
                  r.offset(),
                  r.hasKey() ? text(r.key()) : null,
                  r.hasValue() ? text(r.value()) : null));
        }
      }
    }
    return out;
  }

  private static List<Read> walked(MemoryRecords records, long from, long end) {
    List<Read> out = new ArrayList<>();
    ByteBuffer buffer = records.buffer();
    int at = buffer.arrayOffset() + buffer.position();
    for (MutableRecordBatch batch : records.batches()) {
      int handed =
          RecordWalk.walk(
              buffer.array(),
              at,
              batch.sizeInBytes(),
              from,
              end,
              (offset, array, ko, kl, vo, vl) ->
                  out.add(new Read(offset, text(array, ko, kl), text(array, vo, vl))));
      assertThat(handed).isLessThanOrEqualTo(batch.countOrNull());
      at += batch.sizeInBytes();
    }
    return out;
  }

  @Test
  void readsEveryRecordAsKafkasIteratorDoes() {
    MemoryRecords records = batch(1_000, Compression.NONE);
    List<Read> expected = kafkaRead(records, 0, Long.MAX_VALUE);
    assertThat(expected).hasSize(38);
    assertThat(expected.get(32)).isEqualTo(new Read(1_032, null, "a value without a key"));
    assertThat(expected.get(33)).isEqualTo(new Read(1_033, "tombstone", null));
    assertThat(expected.get(34)).isEqualTo(new Read(1_034, null, null));
    assertThat(expected.get(35)).isEqualTo(new Read(1_035, "with headers", "after them"));
    assertThat(expected.get(37)).isEqualTo(new Read(1_042, "after a gap", "last"));

    assertThat(walked(records, 0, Long.MAX_VALUE)).isEqualTo(expected);
  }

  @Test
  void handsOnlyTheOffsetsInRange() {
    MemoryRecords records = batch(500, Compression.NONE);
    assertThat(walked(records, 510, 535)).isEqualTo(kafkaRead(records, 510, 535)).hasSize(25);
    assertThat(walked(records, 540, 543)).containsExactly(new Read(542, "after a gap", "last"));
    assertThat(walked(records, 543, 600)).isEmpty();
  }

  @Test
  void rejectsABatchWhoseRecordsDoNotFit() {
    MemoryRecords records = batch(0, Compression.NONE);
    int size = records.sizeInBytes();
    byte[] array = new byte[size];
    records.buffer().get(array);
    RecordWalk.Sink ignore = (o, a, ko, kl, vo, vl) -> {};

    // The batch cut short: the last record passes the end.
    assertThatThrownBy(() -> RecordWalk.walk(array, 0, size - 3, 0, Long.MAX_VALUE, ignore))
        .isInstanceOf(CorruptRecordException.class);
    // One record more declared than the batch holds.
    byte[] moreDeclared = array.clone();
    moreDeclared[RecordWalk.RECORDS_COUNT_OFFSET + 3]++;
    assertThatThrownBy(() -> RecordWalk.walk(moreDeclared, 0, size, 0, Long.MAX_VALUE, ignore))
        .isInstanceOf(CorruptRecordException.class);
    // One record fewer declared: bytes left after the last.
    byte[] fewerDeclared = array.clone();
    fewerDeclared[RecordWalk.RECORDS_COUNT_OFFSET + 3]--;
    assertThatThrownBy(() -> RecordWalk.walk(fewerDeclared, 0, size, 0, Long.MAX_VALUE, ignore))
        .isInstanceOf(CorruptRecordException.class)
        .hasMessageContaining("bytes after its");
  }

  @Test
  void varintsOfOneToFiveBytes() {
    for (int v :
        new int[] {
          0, -1, 1, 63, -64, 64, -65, 8191, 8192, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE
        }) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int zz = (v << 1) ^ (v >> 31);
      while ((zz & ~0x7f) != 0) {
        out.write((zz & 0x7f) | 0x80);
        zz >>>= 7;
      }
      out.write(zz);
      byte[] b = out.toByteArray();
      int[] at = {0};
      assertThat(RecordWalk.readVarint(b, at, b.length)).isEqualTo(v);
      assertThat(at[0]).isEqualTo(b.length);
      int[] cut = {0};
      if (b.length > 1) {
        assertThatThrownBy(() -> RecordWalk.readVarint(b, cut, b.length - 1))
            .isInstanceOf(CorruptRecordException.class);
      }
    }
    byte[] six = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
    assertThatThrownBy(() -> RecordWalk.readVarint(six, new int[] {0}, six.length))
        .isInstanceOf(CorruptRecordException.class);
  }

  @Test
  void aFetchedChunkWalksUncompressedBatchesInPlaceAndDecompressesTheOthers() {
    MemoryRecords plain = batch(0, Compression.NONE);
    MemoryRecords gzip =
        batch(plain.batches().iterator().next().nextOffset(), Compression.gzip().build());
    long gzipEnd = gzip.batches().iterator().next().nextOffset();
    MemoryRecords lz4 = batch(gzipEnd, Compression.lz4().build());
    long end = lz4.batches().iterator().next().nextOffset();
    MemoryRecords plain2 = batch(end, Compression.NONE);
    long last = plain2.batches().iterator().next().nextOffset();
    // The records start inside their array, as in a fetch response.
    int lead = 37;
    int total = plain.sizeInBytes() + gzip.sizeInBytes() + lz4.sizeInBytes() + plain2.sizeInBytes();
    byte[] array = new byte[lead + total + 11];
    int at = lead;
    for (MemoryRecords r : List.of(plain, gzip, lz4, plain2)) {
      r.buffer().get(array, at, r.sizeInBytes());
      at += r.sizeInBytes();
    }
    MemoryRecords records =
        MemoryRecords.readableRecords(ByteBuffer.wrap(array, lead, total).slice());
    List<Read> expected = kafkaRead(records, 7, last - 3);

    RawChangelogReader.Fetched f =
        new RawChangelogReader.Fetched(
            new TopicPartition("t", 0), 7, records, List.of(), last, (int) last);
    List<Read> read = new ArrayList<>();
    RawChangelogReader.WalkCounts counts = new RawChangelogReader.WalkCounts();
    f.forEach(
        last - 3,
        (offset, a, ko, kl, vo, vl) -> read.add(new Read(offset, text(a, ko, kl), text(a, vo, vl))),
        counts);

    assertThat(read).isEqualTo(expected);
    assertThat(expected).hasSize(4 * 38 - 7 - 1);
    assertThat(counts.inPlace.sum()).isEqualTo(38 - 7 + 38 - 1);
    assertThat(counts.decompressed.sum()).isEqualTo(2 * 38);
  }
}
