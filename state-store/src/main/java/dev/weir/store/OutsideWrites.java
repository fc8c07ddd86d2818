package dev.weir.store;

import java.util.function.BiConsumer;

/**
 * Puts that an owner keeps in a structure of its own instead of a transactional store's overlay,
 * and that the overlay commits with its pending writes (design record 026): the interval join's
 * buffers append their uncommitted entries to a write set per time segment, which costs no hash map
 * entry, no sorted map entry and no sort in the overlay.
 *
 * <p>Attached with {@link TransactionalTaskState#attach}. From then on the store's {@link
 * TransactionalTaskState#forEachPendingWrite} visits these puts after the store's own pending
 * writes, in the order {@link #forEach} gives them, {@link TransactionalTaskState#commit} applies
 * them to the base in the same atomic batch, after the pending writes (so a put here wins over a
 * pending write of the same key), and {@link TransactionalTaskState#abort} drops them. The overlay
 * never learns their values: the owner answers reads of its keys itself (merging its puts over the
 * store's reads), and must not read them with the store's point reads ({@link KeyValueStore#get},
 * {@link KeyValueStore#update}); range reads see the committed state. After a commit the overlay
 * forgets any entry it held of these keys and no longer counts itself complete.
 *
 * <p>Used only from the task's thread.
 */
public interface OutsideWrites {
  /**
   * Visits every put: the store key and its whole new value, never null (deletes go through the
   * store). The arrays are the owner's: not modified, not kept.
   *
   * @param visitor receives each put
   */
  void forEach(BiConsumer<byte[], byte[]> visitor);

  /**
   * The number of puts held.
   *
   * @return the count
   */
  int count();

  /**
   * An estimate of the heap the puts hold, counted in the transaction's uncommitted bytes.
   *
   * @return bytes
   */
  long bytes();

  /** The puts are in the base now: forget them (they are committed state from here on). */
  void committed();

  /** The transaction was dropped: forget the puts, which never reached the base. */
  void aborted();
}
