package dev.weir.store;

/**
 * Receives the uncommitted writes of a {@link TransactionalTaskState}, one call per key: the latest
 * value, or null for a delete. This is the deduplicated changelog content of one commit.
 */
@FunctionalInterface
public interface PendingWriteVisitor {

  /**
   * Visits the latest uncommitted write of one key.
   *
   * @param storeName the store; not null
   * @param key the key; not null. The array is the buffer's own: do not modify it, and copy it to
   *     keep it beyond the call
   * @param value the latest value, or null when the key was deleted (a changelog tombstone). The
   *     buffer's own array, as for {@code key}
   */
  void visit(String storeName, byte[] key, byte[] value);
}
