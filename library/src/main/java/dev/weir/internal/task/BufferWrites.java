package dev.weir.internal.task;

import dev.weir.store.OutsideWrites;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The uncommitted entries of one {@link SegmentedBuffer}, kept outside the transactional overlay
 * (design record 026): per segment, the entries in the order they were first written (the commit's
 * batch record of the segment takes them in that order, no sort), and per key of the segment its
 * entries by time (what a probe merges over the store's range read). Each entry holds its whole
 * value, the records committed before and those added since, as the overlay's pending write of the
 * key would.
 *
 * <p>It also remembers, per segment, a fingerprint of every entry key it committed, so that an add
 * of a new key and time can tell without a read that the store does not hold it (see {@link
 * SegmentedBuffer#add}), and a fingerprint of every key (without the time) it committed an entry
 * of, so that a probe can tell without a read that the store holds no entry of its key there (see
 * {@link SegmentedBuffer#forEachBetween}, design record 028); segments go with their drop.
 *
 * <p>Used only from the task's thread.
 */
final class BufferWrites implements OutsideWrites {
  /** Estimated heap per entry beyond its key and value bytes. */
  static final long ENTRY_OVERHEAD_BYTES = 96;

  /** The records of one key at one time. */
  static final class Entry {
    final byte[] storeKey;
    final long time;
    byte[] value;
    final boolean inStore; // the store held the key when the entry was made
    final long fingerprint;

    Entry(byte[] storeKey, long time, byte[] value, boolean inStore) {
      this(storeKey, time, value, inStore, fingerprint(storeKey));
    }

    Entry(byte[] storeKey, long time, byte[] value, boolean inStore, long fingerprint) {
      this.storeKey = storeKey;
      this.time = time;
      this.value = value;
      this.inStore = inStore;
      this.fingerprint = fingerprint;
    }
  }

  /** A key's bytes as a hash-map key, hashed by its {@link #fingerprint}. */
  static final class KeyRef {
    final byte[] bytes;
    final long fingerprint;
    private final int hash;

    KeyRef(byte[] bytes) {
      this(bytes, fingerprint(bytes));
    }

    KeyRef(byte[] bytes, long fingerprint) {
      this.bytes = bytes;
      this.fingerprint = fingerprint;
      this.hash = (int) (fingerprint ^ (fingerprint >>> 32));
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyRef k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }
  }

  private static final class Segment {
    final List<Entry> entries = new ArrayList<>();
    final Map<KeyRef, List<Entry>> byKey = new HashMap<>();
  }

  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final TreeMap<Long, Committed> committed = new TreeMap<>();
  private int count;
  private long bytes;

  /**
   * The entries of {@code key} in {@code segment}, ascending by time, to add to with {@link
   * #insert}; a new empty list when there are none.
   */
  List<Entry> entriesFor(long segment, byte[] key) {
    Segment s = segments.computeIfAbsent(segment, x -> new Segment());
    KeyRef ref = new KeyRef(key);
    List<Entry> list = s.byKey.get(ref);
    if (list == null) {
      list = new ArrayList<>(2);
      s.byKey.put(new KeyRef(key.clone(), ref.fingerprint), list);
    }
    return list;
  }

  /**
   * The entries of {@code key} in {@code segment}, ascending by time, or null.
   *
   * @param keyFingerprint {@code fingerprint(key)}
   */
  List<Entry> entries(long segment, byte[] key, long keyFingerprint) {
    Segment s = segments.get(segment);
    return s == null ? null : s.byKey.get(new KeyRef(key, keyFingerprint));
  }

  /** The first segment at or above {@code segment} that has entries, or null. */
  Long segmentFrom(long segment) {
    return segments.ceilingKey(segment);
  }

  /**
   * Adds a new entry to {@code list} (from {@link #entriesFor} for the same segment), in time
   * order.
   */
  void insert(long segment, List<Entry> list, Entry e) {
    int i = list.size();
    while (i > 0 && list.get(i - 1).time > e.time) {
      i--;
    }
    list.add(i, e);
    segments.get(segment).entries.add(e);
    count++;
    bytes += ENTRY_OVERHEAD_BYTES + e.storeKey.length + e.value.length;
  }

  /** Replaces an entry's value. */
  void replace(Entry e, byte[] value) {
    bytes += value.length - e.value.length;
    e.value = value;
  }

  /**
   * True when this buffer committed a key of {@code fingerprint} (see {@link #fingerprint}) in
   * {@code segment}: that key, or one whose fingerprint collides.
   */
  boolean mayHaveCommitted(long segment, long fingerprint) {
    Committed c = committed.get(segment);
    return c != null && c.entries.contains(fingerprint);
  }

  /**
   * True when this buffer committed an entry of a key of {@code keyFingerprint} (the fingerprint of
   * the key without segment and time) in {@code segment}: of that key, or of one whose fingerprint
   * collides.
   */
  boolean mayHaveCommittedKey(long segment, long keyFingerprint) {
    Committed c = committed.get(segment);
    return c != null && c.keys.contains(keyFingerprint);
  }

  /**
   * Forgets the segments through {@code through}.
   *
   * @return the entries forgotten that the store did not hold (those it held, its range delete
   *     counts)
   */
  int dropThrough(long through) {
    int removed = 0;
    Map<Long, Segment> gone = segments.headMap(through, true);
    for (Segment s : gone.values()) {
      for (Entry e : s.entries) {
        if (!e.inStore) {
          removed++;
        }
        count--;
        bytes -= ENTRY_OVERHEAD_BYTES + e.storeKey.length + e.value.length;
      }
    }
    gone.clear();
    committed.headMap(through, true).clear();
    return removed;
  }

  /** The segments whose committed fingerprints this buffer holds (for tests). */
  int committedSegments() {
    return committed.size();
  }

  /** The fingerprints, of entry keys and of keys, this buffer holds for committed segments. */
  long committedFingerprints() {
    long n = 0;
    for (Committed c : committed.values()) {
      n += c.entries.size + c.keys.size;
    }
    return n;
  }

  @Override
  public void forEach(BiConsumer<byte[], byte[]> visitor) {
    for (Segment s : segments.values()) {
      for (Entry e : s.entries) {
        visitor.accept(e.storeKey, e.value);
      }
    }
  }

  @Override
  public void forEachReplacedKey(Consumer<byte[]> visitor) {
    for (Segment s : segments.values()) {
      for (Entry e : s.entries) {
        if (e.inStore) {
          visitor.accept(e.storeKey);
        }
      }
    }
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public void committed() {
    for (Map.Entry<Long, Segment> s : segments.entrySet()) {
      Committed c = committed.computeIfAbsent(s.getKey(), x -> new Committed());
      for (Entry e : s.getValue().entries) {
        c.entries.add(e.fingerprint);
      }
      for (KeyRef k : s.getValue().byKey.keySet()) {
        c.keys.add(k.fingerprint);
      }
    }
    forget();
  }

  @Override
  public void aborted() {
    forget();
  }

  private void forget() {
    segments.clear();
    count = 0;
    bytes = 0;
  }

  /** A 64-bit hash of a store key (FNV-1a, then a final mix), never 0. */
  static long fingerprint(byte[] key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  /** The fingerprints of what this buffer committed in one segment. */
  private static final class Committed {
    final LongSet entries = new LongSet(); // of entry keys: segment, key and time
    final LongSet keys = new LongSet(); // of keys alone
  }

  /** An open-addressing set of non-zero longs. */
  static final class LongSet {
    private long[] slots = new long[16];
    private int size;

    boolean contains(long v) {
      int mask = slots.length - 1;
      for (int i = (int) (v ^ (v >>> 32)) & mask; ; i = (i + 1) & mask) {
        long s = slots[i];
        if (s == v) {
          return true;
        }
        if (s == 0) {
          return false;
        }
      }
    }

    void add(long v) {
      if (2 * (size + 1) > slots.length) {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long s : old) {
          if (s != 0) {
            put(s);
          }
        }
      }
      put(v);
    }

    private void put(long v) {
      int mask = slots.length - 1;
      for (int i = (int) (v ^ (v >>> 32)) & mask; ; i = (i + 1) & mask) {
        long s = slots[i];
        if (s == v) {
          return;
        }
        if (s == 0) {
          slots[i] = v;
          size++;
          return;
        }
      }
    }
  }
}
