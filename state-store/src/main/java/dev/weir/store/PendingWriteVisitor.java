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
   * @param key the key; not null. The array is only valid during the call: copy it to keep it
   * @param value the latest value, or null when the key was deleted (a changelog tombstone). Only
   *     valid during the call
   */
  void visit(String storeName, byte[] key, byte[] value);
}
