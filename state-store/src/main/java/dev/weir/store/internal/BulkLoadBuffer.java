package dev.weir.store.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One store's buffered bulk-load writes, copied into a few large direct (off-heap) buffers, called
 * slabs, and described by an {@code int} array, and their order by key.
 *
 * <p>Why copy, and why off the heap: a chunk lives through many young collections. Holding the
 * fetched records' own small arrays (and an object per write) made the garbage collector copy the
 * whole chunk between survivor spaces and into the old generation: in a W4 profile, 600 ms of
 * pauses during a 3 s restore. Heap slabs (large byte arrays) halved that, but 128 MiB of live
 * humongous arrays in a small heap still started a concurrent cycle every few hundred milliseconds.
 * Direct slabs are invisible to the collector, the fetched arrays die young, and the native writer
 * reads a value straight from its slab. Slabs are reused across chunks; the collector frees them
 * once the buffer is dropped.
 *
 * <p>Not thread-safe.
 */
final class BulkLoadBuffer {
  /** Slab size. */
  static final int SLAB_BYTES = 4 << 20;

  /** Bytes of {@link #meta} per write. */
  static final int META_BYTES = 16;

  private static final int INSERTION_SORT_MAX = 16;

  /** Direct, big-endian: {@code getLong} then orders 8 bytes as unsigned lexicographic order. */
  private final List<ByteBuffer> slabs = new ArrayList<>();

  /** Per slab, a view for keys and one for values, whose position and limit a write sets. */
  private final List<ByteBuffer> keyViews = new ArrayList<>();

  private final List<ByteBuffer> valueViews = new ArrayList<>();
  private int slabIndex = -1;
  private int slabUsed;

  /** Per write: slab index, offset in the slab, key length, value length (-1: a delete). */
  private int[] meta = new int[4 * 1024];

  private int count;
  private long bytes;

  void add(byte[] key, byte[] value, int valueOffset, int valueLength) {
    add(key, 0, key.length, value, valueOffset, valueLength);
  }

  /**
   * Copies a write whose key is {@code keys[keyOffset, keyOffset + keyLength)} into the slabs.
   *
   * @param valueLength -1 for a delete
   */
  void add(
      byte[] keys, int keyOffset, int keyLength, byte[] value, int valueOffset, int valueLength) {
    int need = keyLength + Math.max(0, valueLength);
    ByteBuffer slab = slabFor(need);
    int at = slabUsed;
    slab.put(at, keys, keyOffset, keyLength);
    if (valueLength > 0) {
      slab.put(at + keyLength, value, valueOffset, valueLength);
    }
    slabUsed += need;
    if (4 * count + 4 > meta.length) {
      meta = Arrays.copyOf(meta, meta.length * 2);
    }
    int m = 4 * count;
    meta[m] = slabIndex;
    meta[m + 1] = at;
    meta[m + 2] = keyLength;
    meta[m + 3] = valueLength;
    count++;
    bytes += need + META_BYTES;
  }

  private ByteBuffer slabFor(int need) {
    if (slabIndex >= 0 && slabUsed + need <= slabs.get(slabIndex).capacity()) {
      return slabs.get(slabIndex);
    }
    slabIndex++;
    slabUsed = 0;
    if (slabIndex < slabs.size() && slabs.get(slabIndex).capacity() >= need) {
      return slabs.get(slabIndex);
    }
    ByteBuffer slab = ByteBuffer.allocateDirect(Math.max(SLAB_BYTES, need));
    if (slabIndex < slabs.size()) {
      slabs.set(slabIndex, slab);
      keyViews.set(slabIndex, slab.duplicate());
      valueViews.set(slabIndex, slab.duplicate());
    } else {
      slabs.add(slab);
      keyViews.add(slab.duplicate());
      valueViews.add(slab.duplicate());
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

  /** The write's key, as a view of its slab valid until the next call for the same slab. */
  ByteBuffer key(int write) {
    int m = 4 * write;
    ByteBuffer view = keyViews.get(meta[m]);
    view.limit(meta[m + 1] + meta[m + 2]).position(meta[m + 1]);
    return view;
  }

  /** The write's value, as a view of its slab valid until the next call for the same slab. */
  ByteBuffer value(int write) {
    int m = 4 * write;
    ByteBuffer view = valueViews.get(meta[m]);
    int from = meta[m + 1] + meta[m + 2];
    view.limit(from + Math.max(0, meta[m + 3])).position(from);
    return view;
  }

  /** A copy of the write's key. */
  byte[] keyBytes(int write) {
    byte[] k = new byte[keyLength(write)];
    slabs.get(meta[4 * write]).get(offset(write), k);
    return k;
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
    ByteBuffer sa = slabs.get(meta[4 * a]);
    ByteBuffer sb = slabs.get(meta[4 * b]);
    int fa = offset(a);
    int fb = offset(b);
    int la = keyLength(a);
    int lb = keyLength(b);
    int n = Math.min(la, lb);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long x = sa.getLong(fa + i);
      long y = sb.getLong(fb + i);
      if (x != y) {
        return Long.compareUnsigned(x, y);
      }
    }
    for (; i < n; i++) {
      int c = (sa.get(fa + i) & 0xff) - (sb.get(fb + i) & 0xff);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(la, lb);
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
