package dev.weir.store;

import dev.weir.store.internal.StoreInternals;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The transactional write buffer of one task: stores whose writes stay in an uncommitted in-memory
 * overlay until {@link #commit(Map)} applies them to the underlying {@link TaskStateStore} together
 * with the changelog offsets, or {@link #abort()} drops them. This is what makes Weir's local state
 * exactly-once: the base never holds data of a Kafka transaction that did not commit, so a task
 * reopens its local state after a crash and replays only the changelog tail.
 *
 * <p>One commit cycle, as the runtime drives it:
 *
 * <pre>{@code
 * TransactionalTaskState state = TransactionalTaskState.wrap(base);
 * state.store("op.count").put(key, value);            // read-your-writes from here on
 * producer.beginTransaction();
 * state.forEachPendingWrite((store, k, v) ->           // latest value per key, null = tombstone
 *     producer.send(changelogRecord(store, k, ChangelogFormat.encodeValue(v)), callback));
 * producer.sendOffsetsToTransaction(inputOffsets, groupMetadata);
 * producer.commitTransaction();
 * state.commit(nextChangelogOffsets);                   // or state.abort() when the transaction failed
 * }</pre>
 *
 * <p><b>Invariants.</b>
 *
 * <ul>
 *   <li>The base holds only committed data: nothing reaches it except through {@link #commit(Map)},
 *       which applies all pending writes and the new offsets in one atomic batch. Nobody else may
 *       write to the base while it is wrapped.
 *   <li>Reads through {@link #store(String)} see the pending writes merged over the base: the
 *       latest pending value of a key hides the base value, a pending delete hides it entirely.
 *   <li>Per key only the latest pending write is kept, so {@link #forEachPendingWrite} yields each
 *       key at most once per commit. A key written and then deleted within one commit interval that
 *       the base does not hold leaves no pending write at all (no tombstone): a window or timer
 *       that opens and closes between two commits costs no changelog record.
 * </ul>
 *
 * <p><b>Threading.</b> Not thread-safe: owned by the task's thread.
 *
 * <p><b>Lifecycle.</b> The wrapper holds no resources and does not own the base: close the base to
 * release them. (It keeps the commit's write batch, a Java buffer, for the next commit; {@link
 * #abort()} closes and drops it.) Pending writes are then lost, as with {@link #abort()};
 * afterwards reads and {@link #commit(Map)} throw {@link IllegalStateException}, while writes still
 * land in the overlay, where nothing can commit them.
 */
public interface TransactionalTaskState {

  /**
   * Wraps a task state. Restore into the base first (see {@link ChangelogRestorer}), then wrap it;
   * from then on only this wrapper may write to the base.
   *
   * @param base the committed state; not null
   * @return the transactional view, with no pending writes; never null
   */
  static TransactionalTaskState wrap(TaskStateStore base) {
    return wrap(base, StateCache.disabled());
  }

  /**
   * Wraps a task state with a write-back cache: besides the pending writes, the overlay keeps
   * committed entries it wrote or read, and keys it found absent, within {@code cache}'s budget
   * (shared with the other tasks of the thread), so reads of them do not reach the base. Pending
   * writes reach the base only at {@link #commit(Map)}, exactly as without a cache; the cache holds
   * nothing the base does not, so dropping it (at {@link #abort()}, or with the process) loses
   * nothing committed.
   *
   * @param base the committed state; not null
   * @param cache the thread's cache budget; not null
   * @return the transactional view, with no pending writes; never null
   */
  static TransactionalTaskState wrap(TaskStateStore base, StateCache cache) {
    return StoreInternals.transactional(base, cache);
  }

  /**
   * Wraps a task state with a write-back cache, as {@link #wrap(TaskStateStore, StateCache)},
   * except for the keys {@code scannedOnly} accepts: keys the caller reads by range scans (which
   * merge only pending writes over the base, never cached entries), such as a window's list
   * elements. A commit keeps no cached copy of them, and a point read, update or delete of one that
   * is not a pending write asks the base; everything reads exactly as with {@link
   * #wrap(TaskStateStore, StateCache)}. The predicate is asked on every commit of such a key and
   * every point access that finds no pending write, so it must be cheap and must answer the same
   * for the same key.
   *
   * <p>A bounded range scan whose start key {@code reusedScans} accepts notes the committed keys it
   * reads, so that a delete of the same range right after it needs no second read of the base (a
   * fired window's purge after its read, design record 037). Other scans note nothing: noting costs
   * a list slot per scanned entry, which only a scan followed by the delete of its range repays.
   *
   * @param base the committed state; not null
   * @param cache the thread's cache budget; not null
   * @param scannedOnly the keys kept out of the cache; not null
   * @param reusedScans the start keys of the ranges whose scans are noted; not null
   * @return the transactional view, with no pending writes; never null
   */
  static TransactionalTaskState wrap(
      TaskStateStore base,
      StateCache cache,
      Predicate<byte[]> scannedOnly,
      Predicate<byte[]> reusedScans) {
    return StoreInternals.transactional(base, cache, scannedOnly, reusedScans);
  }

  /**
   * As {@link #wrap(TaskStateStore, StateCache, Predicate, Predicate)}, except that the commit
   * applies no put of a key {@code storedElsewhere} accepts to the base: the caller stores those
   * values in another form in the same commit (a window's list elements inside the value of their
   * batch's key, design record 039) and reads them from there. Their deletes still reach the base
   * (a store written before that layout holds such keys). The keys must be read only by range scans
   * ({@code scannedOnly} must accept them too), and after the commit such a key reads as whatever
   * the base holds for it.
   *
   * @param base the committed state; not null
   * @param cache the thread's cache budget; not null
   * @param scannedOnly the keys kept out of the cache; not null
   * @param reusedScans the start keys of the ranges whose scans are noted; not null
   * @param storedElsewhere the keys whose puts the base does not get; not null
   * @return the transactional view, with no pending writes; never null
   */
  static TransactionalTaskState wrap(
      TaskStateStore base,
      StateCache cache,
      Predicate<byte[]> scannedOnly,
      Predicate<byte[]> reusedScans,
      Predicate<byte[]> storedElsewhere) {
    return StoreInternals.transactional(base, cache, scannedOnly, reusedScans, storedElsewhere);
  }

  /**
   * Attaches puts kept outside the overlay to one of its stores: from now on they are part of its
   * pending writes (see {@link OutsideWrites} for the rules).
   *
   * @param store a store returned by {@link #store(String)}; not null
   * @param writes the owner's puts; not null
   * @throws IllegalArgumentException if {@code store} is not a transactional store
   */
  static void attach(KeyValueStore store, OutsideWrites writes) {
    StoreInternals.attach(store, writes);
  }

  /**
   * Returns the task id of the base.
   *
   * @return the task id; never null
   */
  String taskId();

  /**
   * Returns the names of the stores.
   *
   * @return the base's store names; never null
   */
  Set<String> storeNames();

  /**
   * Returns the transactional view of one store: writes go to the overlay, reads merge the overlay
   * over the base. {@link KeyValueStore#approximateNumEntries()} adds the overlay's net effect to
   * the base's estimate.
   *
   * @param name a name in {@link #storeNames()}
   * @return the store; never null
   * @throws IllegalArgumentException if there is no such store
   */
  KeyValueStore store(String name);

  /**
   * Returns the committed changelog offsets of the base (pending writes have none).
   *
   * @return an unmodifiable snapshot; never null
   * @see TaskStateStore#committedOffsets()
   */
  Map<String, Long> committedOffsets();

  /**
   * Returns an estimate of the heap held by pending writes (keys, values and per-entry overhead),
   * so the runtime can force an early commit when a thread's buffers grow past its limit.
   *
   * @return bytes; zero when there are no pending writes
   */
  long uncommittedBytes();

  /**
   * Returns the number of keys with a pending write, across all stores.
   *
   * @return the count; never negative
   */
  int pendingWriteCount();

  /**
   * Visits the latest pending write of each key: stores in name order, keys ascending within a
   * store. The visitor must not write to this state.
   *
   * @param visitor receives each key once; not null
   */
  void forEachPendingWrite(PendingWriteVisitor visitor);

  /**
   * Applies all pending writes and the given offsets to the base atomically and durably, then
   * clears the overlay. Offsets not mentioned keep their committed value. If the base fails, the
   * overlay is kept and the exception propagates; the runtime then aborts and restores, which is
   * safe since the changelog holds the committed writes.
   *
   * @param newOffsets changelog topic-partition (string form) to the offset of the first record not
   *     reflected after this commit; not null, may be empty
   * @throws StateStoreException if the base fails to apply the batch
   */
  void commit(Map<String, Long> newOffsets);

  /**
   * Drops all pending writes, and the cached committed entries with them; reads see the committed
   * base again.
   */
  void abort();
}
