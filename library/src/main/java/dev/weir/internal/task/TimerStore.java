package dev.weir.internal.task;

import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
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

  /**
   * Per domain, a time below which this store holds no timer: scans start there instead of at the
   * domain's prefix. Fired timers are deleted in time order, so the committed store keeps a growing
   * run of tombstones at the start of the domain until compaction, and a seek from the prefix would
   * step over all of them on every scan (in W2 that seek was a third of the stream thread's time).
   * Raised past {@code upTo} when {@link #fireUpTo} has fired everything up to it, lowered by a
   * timer registered below it; {@code Long.MIN_VALUE} (from the prefix) for a new store.
   */
  private long eventFloor = Long.MIN_VALUE;

  private long processingFloor = Long.MIN_VALUE;

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

  /**
   * Whether the last timer registered, and neither deleted nor fired since, is the one {@link
   * #register} would be given for {@code domain}, {@code time} and the timer key of {@code
   * currentKey} in {@code namespace} ({@code [keyLength][key][namespace]}, or just the key when
   * {@code namespace} is null): that registration would do nothing, and the caller need not build
   * the key (a window's trigger registers the same timer for each of its records).
   */
  boolean isLastRegistered(byte domain, long time, byte[] currentKey, byte[] namespace) {
    byte[] l = lastRegistered;
    if (l == null) {
      return false;
    }
    int inner = namespace == null ? currentKey.length : 4 + currentKey.length + namespace.length;
    if (l.length != 14 + inner
        || l[1] != domain
        || (long) LONG.get(l, 2) != (time ^ Long.MIN_VALUE)
        || (int) INT.get(l, 10) != inner) {
      return false;
    }
    if (namespace == null) {
      return Arrays.equals(l, 14, l.length, currentKey, 0, currentKey.length);
    }
    int keyEnd = 18 + currentKey.length;
    return (int) INT.get(l, 14) == currentKey.length
        && Arrays.equals(l, 18, keyEnd, currentKey, 0, currentKey.length)
        && Arrays.equals(l, keyEnd, l.length, namespace, 0, namespace.length);
  }

  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  public void register(byte domain, long time, byte[] key) {
    byte[] k = timerKey(domain, time, key);
    if (java.util.Arrays.equals(k, lastRegistered)) {
      return; // the same timer again (a window's trigger and cleanup timer, say): already stored
    }
    store.put(k, EMPTY_VALUE);
    lastRegistered = k;
    if (time < floor(domain)) {
      setFloor(domain, time);
    }
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
    byte[] to = timerKey(domain, upTo == Long.MAX_VALUE ? upTo : upTo + 1, new byte[0]);
    if (upTo == Long.MAX_VALUE) {
      to = StateHandle.prefixEnd(prefix(domain));
    }
    while (true) {
      // From the floor as it is now: firing may have registered a timer below it.
      byte[] from = scanStart(domain);
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
          if (java.util.Arrays.equals(k, lastRegistered)) {
            lastRegistered = null; // registering it again must store it again
          }
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
    // Nothing at or below upTo is left (the last scan from the floor found nothing due).
    if (upTo == Long.MAX_VALUE) {
      setFloor(domain, Long.MAX_VALUE);
    } else if (upTo + 1 > floor(domain)) {
      setFloor(domain, upTo + 1);
    }
    setEarliest(domain, firstTime(domain));
    return fired;
  }

  private long floor(byte domain) {
    return domain == EVENT ? eventFloor : processingFloor;
  }

  private void setFloor(byte domain, long time) {
    if (domain == EVENT) {
      eventFloor = time;
    } else {
      processingFloor = time;
    }
  }

  /** Where a scan of the domain starts: its prefix, or the first key at the floor's time. */
  private byte[] scanStart(byte domain) {
    long f = floor(domain);
    return f == Long.MIN_VALUE ? prefix(domain) : timerKey(domain, f, new byte[0]);
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
    try (KeyValueIterator it = store.range(scanStart(domain), StateHandle.prefixEnd(p))) {
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
