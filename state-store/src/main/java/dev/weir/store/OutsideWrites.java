package dev.weir.store;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

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
 * store's reads), and reads them from the store only with range reads, never with point reads or
 * point deletes ({@link KeyValueStore#get}, {@link KeyValueStore#update}, {@link
 * KeyValueStore#delete}), which the overlay may answer from an entry the puts made stale. It may
 * hold an entry of a key only if the key had a value in the store (a range read shows it), so after
 * a commit it forgets the entries of the keys {@link #forEachReplacedKey} names, and no longer
 * counts itself complete.
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
   * Visits the keys of the puts that replace a value the store held when the owner made them (seen
   * with a range read): the only keys of which the overlay may hold an entry.
   *
   * @param visitor receives each such key; the array is the owner's, not modified, not kept
   */
  void forEachReplacedKey(Consumer<byte[]> visitor);

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
