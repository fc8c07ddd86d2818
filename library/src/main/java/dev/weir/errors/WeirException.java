package dev.weir.errors;

/**
 * A failure of a Weir application that the library could not handle on its own. The message names
 * what failed (operator, record position, topic) and how to fix it.
 */
public class WeirException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and the fix
   * @param cause the underlying failure, may be null
   */
  public WeirException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what failed and the fix
   */
  public WeirException(String message) {
    super(message);
  }
}
