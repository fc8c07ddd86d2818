package dev.weir.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ChangelogFormat.BatchBuilder} encodes at {@code toValue()} into an array of the counted
 * size (design record 037); these tests hold it to the bytes of the encoder it replaced, which grew
 * a buffer entry by entry and re-encoded the puts at the first delete, for random batches.
 */
class BatchBuilderEquivalenceTest {

  @Test
  void sameBytesAsTheGrowingEncoderForRandomBatches() {
    Random random = new Random(37);
    for (int round = 0; round < 1_000; round++) {
      int scopeLength = random.nextInt(20);
      ChangelogFormat.BatchBuilder now = new ChangelogFormat.BatchBuilder(scopeLength);
      GrowingBatchBuilder before = new GrowingBatchBuilder(scopeLength);
      assertThat(now.bytes()).isEqualTo(before.bytes());
      assertThat(now.toValue()).isEqualTo(before.toValue());
      int entries = random.nextInt(round % 50 == 0 ? 1_500 : 40);
      // A third of the batches take deletes, first at a random point.
      int deletesFrom = random.nextInt(3) == 0 ? random.nextInt(entries + 1) : Integer.MAX_VALUE;
      for (int i = 0; i < entries; i++) {
        // Lengths around the varint boundaries (127/128, 16383/16384) now and then.
        byte[] key = randomBytes(random, scopeLength + length(random));
        if (i >= deletesFrom && random.nextBoolean()) {
          now.addDelete(key);
          before.addDelete(key);
        } else {
          byte[] value = randomBytes(random, length(random));
          now.add(key, value);
          before.add(key, value);
        }
        // bytes() decides where the commit splits a batch: it must agree after every entry.
        assertThat(now.bytes()).isEqualTo(before.bytes());
        assertThat(now.entries()).isEqualTo(before.entries());
        if (random.nextInt(50) == 0) {
          assertThat(now.toValue()).isEqualTo(before.toValue());
        }
      }
      byte[] value = now.toValue();
      assertThat(value).isEqualTo(before.toValue()).hasSize(now.bytes());
      // toValue() does not consume the batch.
      assertThat(now.toValue()).isEqualTo(value);
    }
  }

  private static int length(Random random) {
    return switch (random.nextInt(20)) {
      case 0 -> 126 + random.nextInt(4);
      case 1 -> 16_382 + random.nextInt(4);
      default -> random.nextInt(60);
    };
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** The encoder as it was before record 037's follow-up: kept here as the reference. */
  private static final class GrowingBatchBuilder {
    private final int scopeLength;
    private byte[] buf = new byte[1024];
    private int size;
    private int entries;
    private boolean withDeletes;

    GrowingBatchBuilder(int scopeLength) {
      this.scopeLength = scopeLength;
      buf[size++] = ChangelogFormat.VERSION_2_BATCH;
    }

    void add(byte[] key, byte[] value) {
      int suffix = key.length - scopeLength;
      ensure(10 + suffix + value.length);
      writeVarint(suffix);
      System.arraycopy(key, scopeLength, buf, size, suffix);
      size += suffix;
      writeVarint(withDeletes ? value.length + 1 : value.length);
      System.arraycopy(value, 0, buf, size, value.length);
      size += value.length;
      entries++;
    }

    void addDelete(byte[] key) {
      if (!withDeletes) {
        reencodeWithDeletes();
      }
      int suffix = key.length - scopeLength;
      ensure(10 + suffix);
      writeVarint(suffix);
      System.arraycopy(key, scopeLength, buf, size, suffix);
      size += suffix;
      writeVarint(0);
      entries++;
    }

    private void reencodeWithDeletes() {
      byte[] old = Arrays.copyOf(buf, size);
      size = 0;
      buf[size++] = ChangelogFormat.VERSION_3_BATCH_WITH_DELETES;
      withDeletes = true;
      int[] at = {1};
      while (at[0] < old.length) {
        int suffix = readVarint(old, at);
        int keyAt = at[0];
        at[0] += suffix;
        int length = readVarint(old, at);
        ensure(10 + suffix + length);
        writeVarint(suffix);
        System.arraycopy(old, keyAt, buf, size, suffix);
        size += suffix;
        writeVarint(length + 1);
        System.arraycopy(old, at[0], buf, size, length);
        size += length;
        at[0] += length;
      }
    }

    int entries() {
      return entries;
    }

    int bytes() {
      return size;
    }

    byte[] toValue() {
      return Arrays.copyOf(buf, size);
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
      }
    }

    private void writeVarint(int v) {
      while ((v & ~0x7f) != 0) {
        buf[size++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      buf[size++] = (byte) v;
    }

    private static int readVarint(byte[] b, int[] at) {
      int value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        byte x = b[at[0]++];
        value |= (x & 0x7f) << shift;
        if (x >= 0) {
          return value;
        }
      }
      throw new IllegalStateException("malformed varint");
    }
  }
}
