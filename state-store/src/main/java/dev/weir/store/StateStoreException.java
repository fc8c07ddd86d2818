package dev.weir.store;

/**
 * A state store operation failed for a reason outside the caller's control: an I/O error, a failure
 * reported by RocksDB, or a corrupt or incompatible persisted format.
 *
 * <p>The message names the task and, where known, the store. The runtime treats this exception as
 * fatal for the task: it closes the task dirty (dropping uncommitted state) and lets it be
 * restored, which is always safe because the changelog is the source of truth.
 */
public class StateStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what failed and, where possible, how to fix it; not null
   */
  public StateStoreException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message what failed and, where possible, how to fix it; not null
   * @param cause the underlying failure, for example a {@code RocksDBException}; may be null
   */
  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
