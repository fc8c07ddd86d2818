package dev.weir.query;

import dev.weir.errors.WeirException;

/**
 * A query this instance cannot answer now. The message names the operator, the state, the key's
 * partition (when known) and what to do; {@link #reason()} says why, so that a server can map it
 * (redirect on {@link Reason#NOT_HOSTED}, retry later on {@link Reason#RESTORING} and {@link
 * Reason#REBALANCING}).
 */
public final class StateQueryException extends WeirException {
  private static final long serialVersionUID = 1L;

  /** Why a query failed. */
  public enum Reason {
    /** The key's task runs on another instance: ask {@code queryMetadataForKey} which one. */
    NOT_HOSTED,
    /** The key's task is here but its state is still restoring from the changelog: retry. */
    RESTORING,
    /** The group is rebalancing and the key's task is not assigned here right now: retry. */
    REBALANCING,
    /** The application is not running (not started, closing, closed or failed). */
    NOT_RUNNING,
    /** No stateful operator has that uid, or the state is not a keyed state of the operator. */
    UNKNOWN_STATE
  }

  /** Why the query failed. */
  private final Reason reason;

  /** The queried operator's uid. */
  private final String uid;

  /** The queried state's name. */
  private final String stateName;

  /** The key's partition, or -1 when the query was not for one key. */
  private final int partition;

  /**
   * Creates the exception.
   *
   * @param reason why
   * @param uid the operator's uid
   * @param stateName the state's name
   * @param partition the key's partition, or -1 when the query has no single key
   * @param message the full message: what failed and what to do
   */
  public StateQueryException(
      Reason reason, String uid, String stateName, int partition, String message) {
    super(message);
    this.reason = reason;
    this.uid = uid;
    this.stateName = stateName;
    this.partition = partition;
  }

  /**
   * Returns why the query failed.
   *
   * @return the reason; not null
   */
  public Reason reason() {
    return reason;
  }

  /**
   * Returns the uid of the queried operator.
   *
   * @return the uid
   */
  public String uid() {
    return uid;
  }

  /**
   * Returns the name of the queried state.
   *
   * @return the state name
   */
  public String stateName() {
    return stateName;
  }

  /**
   * Returns the key's partition.
   *
   * @return the partition, or -1 when the query has no single key (a range or prefix scan)
   */
  public int partition() {
    return partition;
  }
}
