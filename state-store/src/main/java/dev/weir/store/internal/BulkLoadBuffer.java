package dev.weir.store.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One store's buffered bulk-load writes, copied into a few large byte arrays (slabs) and described
 * by an {@code int} array, and their order by key.
 *
 * <p>Why copy: a chunk lives for many young collections. Holding the fetched records' own small
 * arrays (and an object per write) made the garbage collector copy the whole chunk from survivor
 * space to survivor space and into the old generation: in a W4 profile, 600 ms of pauses during a 3
 * s restore. Slabs are few, large and hold no references, so the collector neither scans nor (once
 * humongous) moves them, and the fetched arrays die young. Slabs are reused across chunks.
 *
 * <p>Not thread-safe.
 */
final class BulkLoadBuffer {
  /** Slab size: a little under 4 MiB, so that with its header it fills whole G1 regions. */
  static final int SLAB_BYTES = (4 << 20) - 1024;

  /** Bytes of {@link #meta} per write. */
  static final int META_BYTES = 16;

  private static final int INSERTION_SORT_MAX = 16;

  private final List<byte[]> slabs = new ArrayList<>();
  private int slabIndex = -1;
  private int slabUsed;

  /** Per write: slab index, offset in the slab, key length, value length (-1: a delete). */
  private int[] meta = new int[4 * 1024];

  private int count;
  private long bytes;

  void add(byte[] key, byte[] value, int valueOffset, int valueLength) {
    int need = key.length + Math.max(0, valueLength);
    byte[] slab = slabFor(need);
    int at = slabUsed;
    System.arraycopy(key, 0, slab, at, key.length);
    if (valueLength > 0) {
      System.arraycopy(value, valueOffset, slab, at + key.length, valueLength);
    }
    slabUsed += need;
    if (4 * count + 4 > meta.length) {
      meta = Arrays.copyOf(meta, meta.length * 2);
    }
    int m = 4 * count;
    meta[m] = slabIndex;
    meta[m + 1] = at;
    meta[m + 2] = key.length;
    meta[m + 3] = valueLength;
    count++;
    bytes += need + META_BYTES;
  }

  private byte[] slabFor(int need) {
    if (slabIndex >= 0 && slabUsed + need <= slabs.get(slabIndex).length) {
      return slabs.get(slabIndex);
    }
    slabIndex++;
    slabUsed = 0;
    if (slabIndex < slabs.size() && slabs.get(slabIndex).length >= need) {
      return slabs.get(slabIndex);
    }
    byte[] slab = new byte[Math.max(SLAB_BYTES, need)];
    if (slabIndex < slabs.size()) {
      slabs.set(slabIndex, slab);
    } else {
      slabs.add(slab);
    }
    return slab;
  }

  int count() {
    return count;
  }

  /** Bytes of keys and values, plus {@value #META_BYTES} per write. */
  long bytes() {
    return bytes;
  }

  /** Empties the buffer, keeping its slabs for the next chunk. */
  void clear() {
    count = 0;
    bytes = 0;
    slabIndex = -1;
    slabUsed = 0;
  }

  byte[] slab(int write) {
    return slabs.get(meta[4 * write]);
  }

  int offset(int write) {
    return meta[4 * write + 1];
  }

  int keyLength(int write) {
    return meta[4 * write + 2];
  }

  /** The value's length, or -1 for a delete. */
  int valueLength(int write) {
    return meta[4 * write + 3];
  }

  boolean sameKey(int a, int b) {
    return compareKeys(a, b) == 0;
  }

  /** RocksDB's bytewise order: unsigned bytes, a prefix first. */
  int compareKeys(int a, int b) {
    int fa = offset(a);
    int fb = offset(b);
    return Arrays.compareUnsigned(slab(a), fa, fa + keyLength(a), slab(b), fb, fb + keyLength(b));
  }

  /**
   * Returns the writes in key order, writes of the same key in the order they were added (so the
   * last of them is the latest). A changelog read from the start is often already in key order;
   * that case costs one pass.
   */
  int[] sortedOrder() {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    boolean sorted = true;
    for (int i = 1; i < count && sorted; i++) {
      sorted = compareKeys(i - 1, i) <= 0;
    }
    if (!sorted) {
      mergeSort(order, new int[count], 0, count);
    }
    return order;
  }

  /** Stable: equal keys keep their relative order. */
  private void mergeSort(int[] a, int[] tmp, int from, int to) {
    if (to - from <= INSERTION_SORT_MAX) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= from && compareKeys(a[j], v) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid);
    mergeSort(a, tmp, mid, to);
    if (compareKeys(a[mid - 1], a[mid]) <= 0) {
      return; // already in order
    }
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && compareKeys(tmp[i], tmp[j]) <= 0)) {
        a[k] = tmp[i++];
      } else {
        a[k] = tmp[j++];
      }
    }
  }
}
