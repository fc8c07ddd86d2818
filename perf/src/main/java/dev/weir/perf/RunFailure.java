package dev.weir.perf;

/** A contender run that did not produce a valid measurement; the message says why. */
final class RunFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RunFailure(String message) {
    super(message);
  }

  RunFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
