package dev.weir.testkit.internal;

import java.time.Duration;

/**
 * A point in monotonic time by which a wait must end.
 *
 * @param nanos the {@link System#nanoTime()} value of the deadline
 * @param budget the duration the deadline was created with, for messages
 */
public record Deadline(long nanos, Duration budget) {

  /**
   * Creates a deadline {@code budget} from now.
   *
   * @param budget how long from now
   * @return the deadline
   */
  public static Deadline after(Duration budget) {
    return new Deadline(System.nanoTime() + budget.toNanos(), budget);
  }

  /**
   * Returns the time left.
   *
   * @return the remaining time, zero once passed
   */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, nanos - System.nanoTime()));
  }

  /**
   * Tells whether the deadline has passed.
   *
   * @return true once the deadline is reached
   */
  public boolean passed() {
    return nanos - System.nanoTime() <= 0;
  }

  /**
   * Pauses a polling loop briefly.
   *
   * @throws IllegalStateException when the thread is interrupted (the flag is restored)
   */
  static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }
}
