package dev.weir.perf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * W3: for a key with n records, the updates 1..n each exactly once (in whatever order the
 * repartitioned records of a key arrived). Latency probes have keys {@code p<index>} and count 1.
 */
final class W3Checker extends OutputChecker.Base {
  private final Dataset data;
  private final int[] base;
  private final BitSet updates;
  private final BitSet probes = new BitSet();
  private final long total;

  W3Checker(Dataset data) {
    this.data = data;
    int keys = data.keys();
    base = new int[keys + 1];
    for (int k = 0; k < keys; k++) {
      base[k + 1] = base[k] + data.w3Count(k);
    }
    total = base[keys];
    updates = new BitSet((int) total);
  }

  @Override
  public long accept(byte[] key, byte[] value) {
    String k = key == null ? "" : new String(key, StandardCharsets.UTF_8);
    if (value == null || value.length != 8) {
      wrong("unexpected record " + k);
      return NOT_A_PROBE;
    }
    long count = ByteBuffer.wrap(value).getLong();
    if (k.startsWith("p")) {
      long index = Long.parseLong(k, 1, k.length(), 10);
      probe(index, probes);
      if (count != 1) {
        wrong("probe " + k + " counted " + count);
      }
      return index;
    }
    int keyIndex = data.keyIndex(k);
    if (keyIndex < 0 || keyIndex >= data.keys()) {
      wrong("unexpected key " + k);
    } else if (count < 1 || count > data.w3Count(keyIndex)) {
      // More updates than records: records were processed twice (at-least-once after a failure).
      duplicates++;
    } else if (updates.get(base[keyIndex] + (int) count - 1)) {
      duplicates++;
    } else {
      updates.set(base[keyIndex] + (int) count - 1);
      seen++;
    }
    return NOT_A_PROBE;
  }

  @Override
  public long expected() {
    return total;
  }
}
