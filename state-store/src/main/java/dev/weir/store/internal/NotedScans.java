package dev.weir.store.internal;

import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The committed keys of the last bounded range scan of an {@link OverlayKeyValueStore} that ran to
 * its end in this transaction, so that deleting the same range next (a fired window's purge after
 * its read) needs no second read of the base (design record 037). Only scans of ranges whose start
 * the owner names ({@code reusedScans}) are noted: noting costs a list slot per scanned entry,
 * which only a scan followed by the delete of its range repays.
 *
 * <p>A note is stale, and not used, once the base changed (a commit or an abort, {@link
 * #baseChanged}) or a range delete of this transaction overlapping the range came after the scan
 * started (its keys might include some already dropped). Confined to the overlay's thread.
 */
final class NotedScans {
  /** The most committed keys a scan notes for a range delete to reuse (design record 037). */
  static final int MAX_SCANNED_KEYS = 1 << 17;

  /** The start keys of the bounded ranges whose scans note their committed keys. */
  private final Predicate<byte[]> reusedScans;

  /** The overlay's range deletes of this transaction, in order; cleared, never replaced. */
  private final List<OverlayKeyValueStore.Drop> drops;

  /** The last noted scan; null when there is none or it may be stale. */
  private Scan lastScan;

  /** Counts commits and aborts: a scan that saw the base before one is stale. */
  private long baseVersion;

  /**
   * A scan's committed keys: {@code dropsBefore} drops of this transaction existed when it started,
   * and its keys exclude theirs.
   */
  private record Scan(byte[] from, byte[] to, List<byte[]> keys, int dropsBefore, long version) {}

  NotedScans(Predicate<byte[]> reusedScans, List<OverlayKeyValueStore.Drop> drops) {
    this.reusedScans = Objects.requireNonNull(reusedScans, "reusedScans");
    this.drops = drops;
  }

  /** Whether a scan of {@code [from, to)} notes its keys: a bounded range the owner names. */
  boolean notes(byte[] from, byte[] to) {
    return from != null && to != null && reusedScans.test(from);
  }

  /**
   * The base's entries of a bounded range ({@code committed}: without those of this transaction's
   * range deletes), noting their keys: when the scan reaches its end, they become the note.
   */
  KeyValueIterator recording(KeyValueIterator committed, byte[] fromInclusive, byte[] toExclusive) {
    int dropsBefore = drops.size();
    long version = baseVersion;
    return new LookaheadIterator() {
      private List<byte[]> keys = new ArrayList<>();

      @Override
      KeyValueEntry fetch() {
        if (committed.hasNext()) {
          KeyValueEntry e = committed.next();
          if (keys != null) {
            keys.add(e.key());
            if (keys.size() > MAX_SCANNED_KEYS) {
              keys = null; // a scan this long is not worth holding on to
            }
          }
          return e;
        }
        if (keys != null
            && version == baseVersion
            && !droppedSince(dropsBefore, fromInclusive, toExclusive)) {
          lastScan = new Scan(fromInclusive, toExclusive, keys, dropsBefore, version);
        }
        keys = null; // noted once
        return null;
      }

      @Override
      void release() {
        committed.close();
      }
    };
  }

  /**
   * The committed keys of {@code [from, to)} as the last scan of exactly that range read them, if
   * no commit, abort or overlapping range delete came since it started; null otherwise. A scan of
   * this range is used once; one of another range stays (a window's markers are deleted between the
   * read of its list and the list's delete).
   */
  List<byte[]> take(byte[] from, byte[] to) {
    Scan scan = lastScan;
    if (scan == null
        || from == null
        || to == null
        || !Arrays.equals(scan.from(), from)
        || !Arrays.equals(scan.to(), to)) {
      return null;
    }
    lastScan = null;
    if (scan.version() != baseVersion || droppedSince(scan.dropsBefore(), from, to)) {
      return null;
    }
    return scan.keys();
  }

  /** The base changed (a commit or an abort): every note so far is stale. */
  void baseChanged() {
    baseVersion++;
    lastScan = null;
  }

  /** Whether a drop from index {@code first} on overlaps {@code [from, to)} (bounds not null). */
  private boolean droppedSince(int first, byte[] from, byte[] to) {
    for (int i = first; i < drops.size(); i++) {
      OverlayKeyValueStore.Drop d = drops.get(i);
      if ((d.to() == null || ByteKeys.compare(from, d.to()) < 0)
          && (d.from() == null || ByteKeys.compare(d.from(), to) < 0)) {
        return true;
      }
    }
    return false;
  }
}
