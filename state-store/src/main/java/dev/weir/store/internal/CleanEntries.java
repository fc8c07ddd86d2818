package dev.weir.store.internal;

import dev.weir.store.StateCache;

/**
 * The clean entries of one {@link OverlayKeyValueStore}, least recently used first, and the bytes
 * they hold of the thread's {@link StateCache} budget: a doubly linked list through the entries'
 * own {@code prev} and {@code next} fields, so that adding, touching and removing an entry allocate
 * nothing.
 *
 * <p>Invariant: an entry is in the list exactly when {@link #contains} says so, and {@link #bytes}
 * is the sum of its entries' {@link CacheEntry#bytes()} as they were when added (an entry's value
 * does not change while it is clean).
 */
final class CleanEntries {
  private final StateCache cache;
  private CacheEntry head;
  private CacheEntry tail;
  private long bytes;

  CleanEntries(StateCache cache) {
    this.cache = cache;
  }

  boolean contains(CacheEntry e) {
    return e.prev != null || head == e;
  }

  /** Adds {@code e} as the most recently used entry and reserves its bytes in the budget. */
  void add(CacheEntry e) {
    linkLast(e);
    long b = e.bytes();
    bytes += b;
    cache.reserve(b);
  }

  /** Makes {@code e}, which is in the list, the most recently used entry. */
  void touch(CacheEntry e) {
    if (e != tail) {
      unlink(e);
      linkLast(e);
    }
  }

  /**
   * Removes {@code e} if it is in the list and gives its bytes back to the budget.
   *
   * @return whether it was in the list
   */
  boolean remove(CacheEntry e) {
    if (!contains(e)) {
      return false;
    }
    unlink(e);
    long b = e.bytes();
    bytes -= b;
    cache.release(b);
    return true;
  }

  /**
   * Removes the least recently used entry and counts its bytes as evicted from the budget.
   *
   * @return the entry, or null when the list is empty
   */
  CacheEntry evictEldest() {
    CacheEntry e = head;
    if (e == null) {
      return null;
    }
    unlink(e);
    long b = e.bytes();
    bytes -= b;
    cache.evict(b);
    return e;
  }

  /** Gives every entry's bytes back to the budget and empties the list. */
  void clear() {
    for (CacheEntry e = head; e != null; ) {
      CacheEntry next = e.next;
      cache.release(e.bytes());
      e.prev = null;
      e.next = null;
      e = next;
    }
    head = null;
    tail = null;
    bytes = 0;
  }

  /** The bytes the entries hold of the budget. */
  long bytes() {
    return bytes;
  }

  private void linkLast(CacheEntry e) {
    e.prev = tail;
    e.next = null;
    if (tail == null) {
      head = e;
    } else {
      tail.next = e;
    }
    tail = e;
  }

  private void unlink(CacheEntry e) {
    if (e.prev == null) {
      head = e.next;
    } else {
      e.prev.next = e.next;
    }
    if (e.next == null) {
      tail = e.prev;
    } else {
      e.next.prev = e.prev;
    }
    e.prev = null;
    e.next = null;
  }
}
