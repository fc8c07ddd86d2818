package dev.weir.perf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * W2: one final count per (key, window) with on-time records, equal to the expected count; late
 * records counted nowhere. Outputs of the flush keys (whose windows never close) are ignored.
 */
final class W2Checker extends OutputChecker.Base {
  private final Dataset data;
  private final BitSet cells;

  W2Checker(Dataset data) {
    this.data = data;
    this.cells = new BitSet(data.keys() * data.windows());
  }

  @Override
  public long accept(byte[] key, byte[] value) {
    String k = key == null ? "" : new String(key, StandardCharsets.UTF_8);
    int at = k.indexOf('@');
    int keyIndex = at < 0 ? -1 : data.keyIndex(k.substring(0, at));
    if (keyIndex >= data.keys()) {
      return NOT_A_PROBE; // a flush key
    }
    if (keyIndex < 0 || value == null || value.length != 8) {
      wrong("unexpected record " + k);
      return NOT_A_PROBE;
    }
    long start = Long.parseLong(k, at + 1, k.length(), 10);
    long offset = start - data.t0();
    int window = (int) Math.floorDiv(offset, Dataset.WINDOW_MS);
    if (offset % Dataset.WINDOW_MS != 0 || window < 0 || window >= data.windows()) {
      wrong("window outside the hour: " + k);
      return NOT_A_PROBE;
    }
    long count = ByteBuffer.wrap(value).getLong();
    int expected = data.w2Count(keyIndex, window);
    int cell = keyIndex * data.windows() + window;
    if (expected == 0) {
      wrong(k + "=" + count + " but the window holds no on-time record");
    } else if (cells.get(cell)) {
      duplicates++;
    } else {
      cells.set(cell);
      seen++;
      if (count != expected) {
        wrong(k + "=" + count + ", expected " + expected);
      }
    }
    return NOT_A_PROBE;
  }

  @Override
  public long expected() {
    return data.w2Cells();
  }
}
