package dev.weir.internal.task;

import dev.weir.store.ChangelogFormat;
import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import dev.weir.store.TransactionalTaskState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A keyed buffer of records ordered by time, in an operator's store, that expires by whole time
 * segments: the interval join's buffers (design record 018). Each record is kept under (segment,
 * current key, time), {@code segment = floor(time / segmentMs)}, with the records of one key and
 * time in one entry (see {@link StateFormat} for the bytes). A read of a key's records in a time
 * range is one range read per segment the range overlaps; {@link #dropThrough} removes every
 * segment whose times have all passed a limit, with no per-record timer.
 *
 * <p>Invariant: once segments were dropped through a limit, no record at or below that limit is
 * added again (the caller drops by the same rule by which it decides what to buffer); {@link #add}
 * checks it, so that a dropped segment never comes back and the next drop may start after the last
 * dropped segment. What was dropped is known only in memory: after a restart the first drop starts
 * from the buffer's first entry.
 *
 * <p>The segment length is stored with the buffer (at its bare name prefix, which sorts before
 * every entry), and {@link #open} re-keys the entries when the owner now asks for another one (an
 * interval join whose bounds changed), since a segment number means nothing under another length.
 *
 * <p>The entries reach the changelog in batch records, one per segment and commit, whose keys the
 * commit also writes to the store as markers ({@link TaskState#prepareCommit}, design record 024);
 * a drop deletes the dropped segments' markers with them, and their tombstones are the only
 * changelog records a drop sends.
 *
 * <p>New entries do not go through the store's overlay: they wait in a {@link BufferWrites}, one
 * write set per segment attached to the store ({@link TransactionalTaskState#attach}), which a
 * probe merges over the store's range read and which the commit sends and applies with the
 * overlay's pending writes (design record 026). An entry holds its whole value, so an add of a key
 * and time that the store may already hold reads the committed value first: in a segment present
 * when the buffer opened, or where this buffer committed that key before (a fingerprint says so; a
 * fingerprint that only collides costs a read, never a wrong answer). Only one buffer of a name may
 * be used per task state.
 *
 * <p>Used only from the task's thread, while a record or watermark of the task is processed.
 *
 * @param <T> the record type
 */
final class SegmentedBuffer<T> {
  /** Receives the records of the current key at one time. */
  @FunctionalInterface
  interface Visitor<T> {
    void visit(long time, List<T> records) throws Exception;
  }

  /** Above this many segments a range read skips the absent ones instead of reading each. */
  private static final long SPARSE_ABOVE = 8;

  private final OperatorStates owner;
  private final KeyValueStore store;
  private final String name;
  private final byte[] prefix;
  private final byte[] markers; // every batch marker of this buffer starts with this
  private final long segmentMs;
  private final RecordListSerde<T> serde;
  private final String serdeTopic;
  private final BufferWrites writes = new BufferWrites();
  private final TreeSet<Long> presentAtOpen = new TreeSet<>(); // segments the store had at open
  private boolean opened;
  private boolean dropped;
  private int movedToBatches;
  private long droppedThrough;
  private long skippedReads;

  /**
   * @param owner the operator's states (store, current key, serde topic)
   * @param name the buffer's name, part of every key
   * @param serde the records' list serde
   * @param segmentMs the length of a segment, at least 1 ms
   */
  SegmentedBuffer(OperatorStates owner, String name, RecordListSerde<T> serde, long segmentMs) {
    if (segmentMs < 1) {
      throw new IllegalArgumentException("segment length must be at least 1 ms: " + segmentMs);
    }
    this.owner = owner;
    this.store = owner.store();
    this.name = name;
    this.prefix = StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED_BATCHED, name);
    this.markers = ChangelogFormat.batchKeyPrefix(prefix);
    this.segmentMs = segmentMs;
    this.serde = serde;
    this.serdeTopic = owner.serdeTopic(name);
    TransactionalTaskState.attach(store, writes);
  }

  long segmentMs() {
    return segmentMs;
  }

  /**
   * Checks the segment length the stored entries were written with, and re-keys them when it was
   * another; call once before any other use. The writes are ordinary pending writes: a crash before
   * they commit leaves the old keys and length, and the next open re-keys again.
   *
   * @return the entries re-keyed
   */
  int open() {
    movedToBatches = moveUnbatched();
    byte[] stored = store.get(prefix);
    long was = stored == null ? segmentMs : ByteBuffer.wrap(StateFormat.payload(stored)).getLong();
    int moved = 0;
    if (was != segmentMs) {
      // Every batch of the old segments goes (its tombstone deletes its segment in a restore);
      // the re-keyed entries go out in new batches, after these tombstones.
      store.deleteRange(markers, StateHandle.prefixEnd(markers));
      List<byte[][]> entries = new ArrayList<>();
      try (KeyValueIterator it = store.range(firstSegment(), StateHandle.prefixEnd(prefix))) {
        while (it.hasNext()) {
          KeyValueEntry e = it.next();
          entries.add(new byte[][] {e.key(), e.value()});
        }
      }
      for (byte[][] e : entries) {
        ByteBuffer k = ByteBuffer.wrap(e[0], prefix.length + 8, e[0].length - prefix.length - 8);
        byte[] key = new byte[k.getInt()];
        k.get(key);
        long time = k.getLong() ^ Long.MIN_VALUE;
        store.delete(e[0]);
        store.put(
            StateFormat.timedKey(StateFormat.segmentKeyPrefix(prefix, segment(time), key), time),
            e[1]);
        moved++;
      }
    }
    if (stored == null || was != segmentMs) {
      store.put(prefix, StateFormat.value(ByteBuffer.allocate(8).putLong(segmentMs).array()));
    }
    // The segments the store holds now (moves included), whose keys this buffer does not know:
    // one seek per segment.
    presentAtOpen.clear();
    byte[] next = firstKeyFrom(firstSegment());
    while (next != null) {
      long s = segmentOf(next);
      presentAtOpen.add(s);
      next = s == Long.MAX_VALUE ? null : firstKeyFrom(StateFormat.segmentPrefix(prefix, s + 1));
    }
    opened = true;
    return moved;
  }

  private long segmentOf(byte[] entryKey) {
    return ByteBuffer.wrap(entryKey, prefix.length, 8).getLong() ^ Long.MIN_VALUE;
  }

  /**
   * Moves the entries of the layout before design record 024 ({@link StateFormat#SCOPE_SEGMENTED},
   * logged one changelog record per entry) to this buffer's keys, same segment and suffix, and
   * their stored segment length with them. The old keys are deleted one by one, so their tombstones
   * reach the changelog as before; the moved entries go out in batch records. Pending writes of the
   * first transaction, as every move at open.
   *
   * @return the entries moved
   */
  private int moveUnbatched() {
    byte[] old = StateFormat.statePrefix(StateFormat.SCOPE_SEGMENTED, name);
    List<KeyValueEntry> entries = new ArrayList<>();
    try (KeyValueIterator it = store.range(old, StateHandle.prefixEnd(old))) {
      it.forEachRemaining(entries::add);
    }
    int moved = 0;
    for (KeyValueEntry e : entries) {
      byte[] key = e.key();
      byte[] moveTo = new byte[key.length];
      System.arraycopy(prefix, 0, moveTo, 0, prefix.length);
      System.arraycopy(key, old.length, moveTo, prefix.length, key.length - old.length);
      if (key.length == old.length) {
        if (store.get(prefix) == null) {
          store.put(prefix, e.value()); // the segment length the entries were written with
        }
      } else {
        store.put(moveTo, e.value());
        moved++;
      }
      store.delete(key);
    }
    return moved;
  }

  /** The range reads {@link #forEachBetween} left out since this buffer was made (record 028). */
  long skippedReads() {
    return skippedReads;
  }

  /** The entries the last {@link #open} moved from the layout before design record 024. */
  int movedToBatches() {
    return movedToBatches;
  }

  /** The first key any entry can have (above the stored segment length). */
  private byte[] firstSegment() {
    return StateFormat.segmentPrefix(prefix, Long.MIN_VALUE);
  }

  long segment(long time) {
    return Math.floorDiv(time, segmentMs);
  }

  private byte[] currentKey() {
    return owner.currentKey(this);
  }

  @Override
  public String toString() {
    return "buffer '" + name + "'";
  }

  /** Adds {@code record} at {@code time} for the current key, after the records already there. */
  void add(long time, T record) {
    long segment = segment(time);
    if (dropped && segment <= droppedThrough) {
      throw new IllegalStateException(
          "Buffer '"
              + name
              + "': a record at "
              + time
              + " ms belongs to segment "
              + segment
              + ", which was dropped");
    }
    byte[] key = currentKey();
    byte[] element = serde.serializeRecord(serdeTopic, record);
    List<BufferWrites.Entry> entries = writes.entriesFor(segment, key);
    for (int i = entries.size() - 1; i >= 0; i--) {
      BufferWrites.Entry e = entries.get(i);
      if (e.time == time) {
        writes.replace(
            e, StateFormat.value(RecordListSerde.appended(StateFormat.payload(e.value), element)));
        return;
      }
    }
    byte[] storeKey =
        StateFormat.timedKey(StateFormat.segmentKeyPrefix(prefix, segment, key), time);
    long fingerprint = BufferWrites.fingerprint(storeKey);
    byte[] old = mayBeStored(segment, fingerprint) ? storedValue(storeKey) : null;
    byte[] value =
        StateFormat.value(
            RecordListSerde.appended(old == null ? null : StateFormat.payload(old), element));
    writes.insert(
        segment, entries, new BufferWrites.Entry(storeKey, time, value, old != null, fingerprint));
  }

  /**
   * False only when the store certainly does not hold the key of {@code fingerprint}: the buffer
   * was opened, the segment was not in the store then, and this buffer never committed the key
   * since.
   */
  private boolean mayBeStored(long segment, long fingerprint) {
    return !opened
        || presentAtOpen.contains(segment)
        || writes.mayHaveCommitted(segment, fingerprint);
  }

  /**
   * False only when the store certainly holds no entry of the key of {@code keyFingerprint} in
   * {@code segment}: the buffer was opened, the segment was not in the store then, and this buffer
   * committed no entry of the key there since (design record 028).
   */
  private boolean mayHoldKey(long segment, long keyFingerprint) {
    return !opened
        || presentAtOpen.contains(segment)
        || writes.mayHaveCommittedKey(segment, keyFingerprint);
  }

  /** The store's entries of {@code key} in {@code segment} with times in {@code [from, to]}. */
  private KeyValueIterator storeRange(long segment, byte[] key, long from, long to) {
    byte[] p = StateFormat.segmentKeyPrefix(prefix, segment, key);
    return store.range(
        StateFormat.timedKey(p, from), StateHandle.successor(StateFormat.timedKey(p, to)));
  }

  /** The store's value of one entry key, read with a range (the overlay caches no point read). */
  private byte[] storedValue(byte[] storeKey) {
    try (KeyValueIterator it = store.range(storeKey, StateHandle.successor(storeKey))) {
      return it.hasNext() ? it.next().value() : null;
    }
  }

  /**
   * Visits the current key's records with times in {@code [from, to]}, in time order; nothing when
   * {@code from > to}. The visitor may write to the store: each segment is read before it is
   * visited.
   */
  void forEachBetween(long from, long to, Visitor<T> visitor) throws Exception {
    if (from > to) {
      return;
    }
    byte[] key = currentKey();
    long keyFingerprint = BufferWrites.fingerprint(key);
    long last = segment(to);
    long s = segment(from);
    // A range over many segments (far wider than the segment length) reads only the segments that
    // exist: each found with one more seek.
    boolean sparse = s <= Long.MAX_VALUE - SPARSE_ABOVE && last > s + SPARSE_ABOVE;
    List<byte[][]> found = new ArrayList<>();
    while (true) {
      if (sparse) {
        byte[] next = firstKeyFrom(StateFormat.segmentPrefix(prefix, s));
        Long written = writes.segmentFrom(s);
        if (next == null && written == null) {
          return;
        }
        s =
            next == null
                ? written
                : written == null ? segmentOf(next) : Math.min(written, segmentOf(next));
        if (s > last) {
          return;
        }
      }
      List<BufferWrites.Entry> written = writes.entries(s, key, keyFingerprint);
      int w = 0; // the next entry of `written` to merge, by time; on a tie it replaces the store's
      // No range read where the store certainly holds no entry of the key (design record 028).
      if (!mayHoldKey(s, keyFingerprint)) {
        skippedReads++;
      } else {
        try (KeyValueIterator it = storeRange(s, key, from, to)) {
          while (it.hasNext()) {
            KeyValueEntry e = it.next();
            boolean replaced = false;
            if (written != null) {
              long t = StateFormat.timeOf(e.key());
              for (; w < written.size() && written.get(w).time <= t; w++) {
                BufferWrites.Entry x = written.get(w);
                if (x.time >= from) {
                  found.add(new byte[][] {x.storeKey, x.value});
                  replaced |= x.time == t; // its whole value holds the store's records too
                }
              }
            }
            if (!replaced) {
              found.add(new byte[][] {e.key(), e.value()});
            }
          }
        }
      }
      if (written != null) {
        for (; w < written.size() && written.get(w).time <= to; w++) {
          BufferWrites.Entry x = written.get(w);
          if (x.time >= from) {
            found.add(new byte[][] {x.storeKey, x.value});
          }
        }
      }
      for (byte[][] e : found) {
        visitor.visit(
            StateFormat.timeOf(e[0]), serde.deserialize(serdeTopic, StateFormat.payload(e[1])));
      }
      found.clear();
      if (s >= last) {
        return;
      }
      s++;
    }
  }

  /** The first key of this buffer at or after {@code from}, or null. */
  private byte[] firstKeyFrom(byte[] from) {
    try (KeyValueIterator it = store.range(from, StateHandle.prefixEnd(prefix))) {
      return it.hasNext() ? it.next().key() : null;
    }
  }

  /**
   * Removes every segment whose times all lie at or below {@code limit}, for all keys.
   *
   * @return the entries (key and time pairs) removed
   */
  int dropThrough(long limit) {
    long segment = segment(limit);
    long through = Math.floorMod(limit, segmentMs) == segmentMs - 1 ? segment : segment - 1;
    if (dropped && through <= droppedThrough) {
      return 0;
    }
    byte[] from = dropped ? StateFormat.segmentPrefix(prefix, droppedThrough + 1) : firstSegment();
    byte[] to =
        through == Long.MAX_VALUE
            ? StateHandle.prefixEnd(prefix)
            : StateFormat.segmentPrefix(prefix, through + 1);
    // One range delete: the transactional layer sends a tombstone per key the committed state
    // holds, but makes no pending write per key.
    int removed = (int) store.deleteRangeCounted(from, to) + writes.dropThrough(through);
    // The changelog holds the segments' entries in batch records: one tombstone per batch (each
    // a range delete of its segment in a restore), none per entry (design record 024).
    store.deleteRange(
        ChangelogFormat.batchKeyPrefix(from),
        through == Long.MAX_VALUE
            ? StateHandle.prefixEnd(markers)
            : ChangelogFormat.batchKeyPrefix(to));
    dropped = true;
    droppedThrough = through;
    return removed;
  }
}
