package dev.weir.postgres;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;

/** Retries of idempotent database work on failures that a new attempt can cure. */
final class Retrying {

  /** SQLSTATEs besides class 08 (connection exceptions) that a retry can cure. */
  private static final Set<String> TRANSIENT =
      Set.of("40001", "40P01", "53300", "57P01", "57P02", "57P03", "55P03");

  private Retrying() {}

  /** One attempt; {@code attempt} counts from 0. */
  @FunctionalInterface
  interface Attempt<R> {
    R run(int attempt) throws SQLException;
  }

  /**
   * Whether a failure is worth another attempt: lost connections, serialisation failures,
   * deadlocks, a server that is starting or shutting down, too many connections, a lock timeout.
   *
   * @param e the failure
   * @return true when transient
   */
  static boolean isTransient(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null && (state.startsWith("08") || TRANSIENT.contains(state))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code attempt} until it succeeds, fails for good, or {@code maxRetries} retries failed.
   *
   * @param maxRetries retries after the first attempt
   * @param backoff the pause before the first retry, doubled for each further one
   * @param attempt the work; must be idempotent
   * @return its result
   * @throws SQLException the last failure
   */
  static <R> R run(int maxRetries, Duration backoff, Attempt<R> attempt) throws SQLException {
    long pause = backoff.toMillis();
    for (int i = 0; ; i++) {
      try {
        return attempt.run(i);
      } catch (SQLException e) {
        if (i >= maxRetries || !isTransient(e)) {
          throw e;
        }
        try {
          Thread.sleep(pause); // back off before talking to a struggling server again
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause = Math.min(pause * 2, 30_000);
      }
    }
  }
}
