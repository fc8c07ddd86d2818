package dev.weir.store;

import java.util.Iterator;

/**
 * An iterator over the entries of a {@link KeyValueStore} in ascending unsigned lexicographic key
 * order. It holds native or store resources and must be closed, ideally with try-with-resources:
 *
 * <pre>{@code
 * try (KeyValueIterator it = store.prefixScan(prefix)) {
 *   while (it.hasNext()) {
 *     KeyValueEntry entry = it.next();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p><b>Consistency.</b> Iterators are weakly consistent: the store may be modified while an
 * iterator is open (for example, deleting each key as it is visited); the iterator never fails
 * because of that, never returns a key twice and never returns keys out of order, but it may or may
 * not reflect modifications made after it was created.
 *
 * <p><b>Threading.</b> Not thread-safe; used only by the thread that owns the store. {@link
 * #remove()} is not supported: delete through the store instead.
 */
public interface KeyValueIterator extends Iterator<KeyValueEntry>, AutoCloseable {

  /**
   * Releases the iterator's resources. Idempotent. After closing, {@link #hasNext()} and {@link
   * #next()} throw {@link IllegalStateException}.
   */
  @Override
  void close();
}
