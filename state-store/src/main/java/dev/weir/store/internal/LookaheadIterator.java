package dev.weir.store.internal;

import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import java.util.NoSuchElementException;

/**
 * Base of all store iterators: one entry of lookahead, close-state checks and an idempotent close.
 * Subclasses produce entries in {@link #fetch()} and free resources in {@link #release()}.
 */
abstract class LookaheadIterator implements KeyValueIterator {
  private KeyValueEntry next;
  private boolean exhausted;
  private boolean closed;

  /** Returns the next entry, or null when there is none; not called again after returning null. */
  abstract KeyValueEntry fetch();

  /** Releases resources; called once, on the first {@link #close()}. */
  void release() {}

  /** Throws {@link IllegalStateException} when the iterator's store was closed under it. */
  void checkStoreOpen() {}

  @Override
  public final boolean hasNext() {
    if (closed) {
      throw new IllegalStateException("Iterator is closed");
    }
    checkStoreOpen();
    if (next == null && !exhausted) {
      next = fetch();
      exhausted = next == null;
    }
    return next != null;
  }

  @Override
  public final KeyValueEntry next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    KeyValueEntry entry = next;
    next = null;
    return entry;
  }

  @Override
  public final void close() {
    if (!closed) {
      closed = true;
      next = null;
      release();
    }
  }
}
