package dev.weir.internal.task;

/**
 * A failure inside a user function, tagged with the operator it happened in. Operators wrap user
 * calls; an exception that is already an {@code OperatorException} (thrown further down the chain)
 * passes through unchanged, so the innermost operator is the one named.
 */
final class OperatorException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String operator;

  private OperatorException(String operator, Throwable cause) {
    super("Operator '" + operator + "' failed: " + cause, cause);
    this.operator = operator;
  }

  public static OperatorException wrap(String operator, Throwable cause) {
    if (cause instanceof OperatorException oe) {
      return oe;
    }
    return new OperatorException(operator, cause);
  }

  public String operator() {
    return operator;
  }
}
