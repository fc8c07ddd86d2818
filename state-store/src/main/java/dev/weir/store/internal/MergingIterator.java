package dev.weir.store.internal;

import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import java.util.Iterator;
import java.util.Map;

/**
 * Merges pending overlay entries over a base iterator: on equal keys the overlay wins, and overlay
 * tombstones hide the key. Both inputs ascend strictly, so the output does too. Overlay arrays are
 * copied out; base entries are already the caller's.
 */
final class MergingIterator extends LookaheadIterator {
  private final KeyValueIterator base;
  private final Iterator<Map.Entry<byte[], byte[]>> overlay;
  private KeyValueEntry baseHead;
  private Map.Entry<byte[], byte[]> overlayHead;

  MergingIterator(KeyValueIterator base, Iterator<Map.Entry<byte[], byte[]>> overlay) {
    this.base = base;
    this.overlay = overlay;
  }

  @Override
  KeyValueEntry fetch() {
    while (true) {
      if (baseHead == null && base.hasNext()) {
        baseHead = base.next();
      }
      if (overlayHead == null && overlay.hasNext()) {
        overlayHead = overlay.next();
      }
      if (overlayHead == null) {
        KeyValueEntry entry = baseHead;
        baseHead = null;
        return entry;
      }
      int order = baseHead == null ? 1 : ByteKeys.compare(baseHead.key(), overlayHead.getKey());
      if (order < 0) {
        KeyValueEntry entry = baseHead;
        baseHead = null;
        return entry;
      }
      if (order == 0) {
        baseHead = null; // shadowed by the overlay
      }
      Map.Entry<byte[], byte[]> pending = overlayHead;
      overlayHead = null;
      if (pending.getValue() != null) { // null: a pending delete
        return KeyValueEntry.of(ByteKeys.copy(pending.getKey()), ByteKeys.copy(pending.getValue()));
      }
    }
  }

  @Override
  void release() {
    base.close();
  }
}
