package dev.weir.internal.task;

import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The timers of one operator in one task, kept in the operator's store (so they are changelogged
 * and restored with its state) and ordered by time for firing.
 *
 * <p>Key: {@code ['t'][domain 'e'|'p'][time int64 BE, sign bit flipped][keyLength int32][key]}, so
 * a range scan from the domain prefix yields timers in time order; one entry per (key, time,
 * domain). The value is an empty state value. The earliest time of each domain is cached, so
 * checking for due timers costs nothing until one is due.
 */
final class TimerStore {
  /** Scope byte of timers. */
  public static final byte SCOPE_TIMERS = 't';

  /** Domain byte of event-time timers. */
  public static final byte EVENT = 'e';

  /** Domain byte of processing-time timers. */
  public static final byte PROCESSING = 'p';

  private static final byte[] EMPTY_VALUE = StateFormat.value(new byte[0]);
  private static final long UNKNOWN = Long.MIN_VALUE;

  /** Receives a due timer. */
  public interface Firing {
    void fire(long time, byte[] key) throws Exception;
  }

  private final KeyValueStore store;
  private long earliestEvent = UNKNOWN;
  private long earliestProcessing = UNKNOWN;
  private boolean eventKnown;
  private boolean processingKnown;
  private byte[] lastRegistered;

  /**
   * The store key of the timer being fired, which is already deleted: a window's cleanup deletes
   * the timer that fired it again, and that second delete must not become a changelog tombstone.
   */
  private byte[] firingKey;

  /**
   * While {@link #fireUpTo} works through a batch: the timers deleted since the batch was read, so
   * that a timer an earlier one deleted is skipped without a store read per timer. Null otherwise.
   */
  private java.util.Set<java.nio.ByteBuffer> deletedInBatch;

  TimerStore(KeyValueStore store) {
    this.store = store;
  }

  static byte[] prefix(byte domain) {
    return new byte[] {SCOPE_TIMERS, domain};
  }

  /** The store key of a timer. */
  static byte[] timerKey(byte domain, long time, byte[] key) {
    return ByteBuffer.allocate(2 + 8 + 4 + key.length)
        .put(SCOPE_TIMERS)
        .put(domain)
        .putLong(time ^ Long.MIN_VALUE)
        .putInt(key.length)
        .put(key)
        .array();
  }

  private static long timeOf(byte[] timerKey) {
    return ByteBuffer.wrap(timerKey, 2, 8).getLong() ^ Long.MIN_VALUE;
  }

  private static byte[] keyOf(byte[] timerKey) {
    int len = ByteBuffer.wrap(timerKey, 10, 4).getInt();
    byte[] k = new byte[len];
    System.arraycopy(timerKey, 14, k, 0, len);
    return k;
  }

  public void register(byte domain, long time, byte[] key) {
    byte[] k = timerKey(domain, time, key);
    if (java.util.Arrays.equals(k, lastRegistered)) {
      return; // the same timer again (a window's trigger and cleanup timer, say): already stored
    }
    store.put(k, EMPTY_VALUE);
    lastRegistered = k;
    if (firingKey != null && java.util.Arrays.equals(k, firingKey)) {
      firingKey = null; // registered again while firing: a delete must remove it again
    }
    if (deletedInBatch != null && !deletedInBatch.isEmpty()) {
      deletedInBatch.remove(ByteBuffer.wrap(k));
    }
    if (domain == EVENT) {
      if (eventKnown && (earliestEvent == UNKNOWN || time < earliestEvent)) {
        earliestEvent = time;
      }
    } else if (processingKnown && (earliestProcessing == UNKNOWN || time < earliestProcessing)) {
      earliestProcessing = time;
    }
  }

  public void delete(byte domain, long time, byte[] key) {
    lastRegistered = null;
    byte[] k = timerKey(domain, time, key);
    if (firingKey != null && java.util.Arrays.equals(k, firingKey)) {
      return; // deleted when it started firing; a second delete would log a needless tombstone
    }
    store.delete(k);
    if (deletedInBatch != null) {
      deletedInBatch.add(ByteBuffer.wrap(k));
    }
    // The cached earliest time may now be too early; that only costs one empty scan.
  }

  /**
   * Fires, in time order, every timer of {@code domain} with time {@code <= upTo}, including timers
   * that firing registers, each after removing it. Returns the number fired.
   */
  public int fireUpTo(byte domain, long upTo, Firing firing) throws Exception {
    long earliest = earliest(domain);
    if (earliest == UNKNOWN || earliest > upTo) {
      return 0;
    }
    int fired = 0;
    lastRegistered = null;
    byte[] from = prefix(domain);
    byte[] to = timerKey(domain, upTo == Long.MAX_VALUE ? upTo : upTo + 1, new byte[0]);
    if (upTo == Long.MAX_VALUE) {
      to = StateHandle.prefixEnd(from);
    }
    while (true) {
      List<byte[]> due = new ArrayList<>();
      try (KeyValueIterator it = store.range(from, to)) {
        while (it.hasNext() && due.size() < 1000) {
          KeyValueEntry e = it.next();
          due.add(e.key());
        }
      }
      if (due.isEmpty()) {
        break;
      }
      deletedInBatch = new java.util.HashSet<>();
      try {
        for (byte[] k : due) {
          if (!deletedInBatch.isEmpty() && deletedInBatch.contains(ByteBuffer.wrap(k))) {
            continue; // deleted by an earlier timer of this batch
          }
          store.delete(k);
          firingKey = k;
          try {
            firing.fire(timeOf(k), keyOf(k));
          } finally {
            firingKey = null;
          }
          fired++;
        }
      } finally {
        deletedInBatch = null;
      }
    }
    setEarliest(domain, firstTime(domain));
    return fired;
  }

  private long earliest(byte domain) {
    if (domain == EVENT ? !eventKnown : !processingKnown) {
      setEarliest(domain, firstTime(domain));
    }
    return domain == EVENT ? earliestEvent : earliestProcessing;
  }

  private void setEarliest(byte domain, long time) {
    if (domain == EVENT) {
      earliestEvent = time;
      eventKnown = true;
    } else {
      earliestProcessing = time;
      processingKnown = true;
    }
  }

  private long firstTime(byte domain) {
    byte[] p = prefix(domain);
    try (KeyValueIterator it = store.prefixScan(p)) {
      return it.hasNext() ? timeOf(it.next().key()) : UNKNOWN;
    }
  }

  /** Number of timers of {@code domain} (a scan; for tests and metrics). */
  public long count(byte domain) {
    long n = 0;
    try (KeyValueIterator it = store.prefixScan(prefix(domain))) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }
}
