package dev.weir.store;

/**
 * Persisted bytes (a changelog value or a local metadata record) are not in a format this version
 * of Weir can read.
 *
 * <p>The most common cause is a newer Weir version having written the bytes; the message then names
 * the version byte found and says to upgrade Weir. Other causes are corruption and foreign data in
 * a changelog topic.
 */
public final class StateFormatException extends StateStoreException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what was found, where, and how to fix it; not null
   */
  public StateFormatException(String message) {
    super(message);
  }
}
