package dev.weir.errors;

/**
 * A record could not be deserialised or processed and the configured handler is {@code fail}. Names
 * the operator (or source) and the record's position {@code topic-partition@offset}.
 *
 * @serial exclude
 */
public final class RecordProcessingException extends WeirException {
  private static final long serialVersionUID = 1L;

  private final String operator;
  private final String position;

  /**
   * Creates the exception.
   *
   * @param operator the operator or source that failed
   * @param position the record's position, {@code topic-partition@offset}
   * @param message the full message, with the fix
   * @param cause the failure
   */
  public RecordProcessingException(
      String operator, String position, String message, Throwable cause) {
    super(message, cause);
    this.operator = operator;
    this.position = position;
  }

  /**
   * Returns the operator (or source) that failed.
   *
   * @return the operator name
   */
  public String operator() {
    return operator;
  }

  /**
   * Returns the failed record's position.
   *
   * @return {@code topic-partition@offset}
   */
  public String position() {
    return position;
  }
}
