package dev.weir.testkit.faults;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One call of a wrapped client's method, as a {@link Trigger} and a {@link Fault} see it: which
 * client, which operation, the how-manieth call of that operation on that client, its arguments,
 * and (for producers) what the client sent since its last commit.
 *
 * <p>Created by the wrapper before the call; the values are those at that moment, so a fault that
 * runs after a {@code commitTransaction} still sees what the transaction held. Thread-safe.
 */
public final class Call {
  private final String client;
  private final Operation operation;
  private final long number;
  private final List<Object> arguments;
  private final long sentSinceCommit;
  private final Set<String> topicsSinceCommit;
  private final SplittableRandom random;
  private final Object lock;

  Call(
      String client,
      Operation operation,
      long number,
      Object[] arguments,
      long sentSinceCommit,
      Set<String> topicsSinceCommit,
      SplittableRandom random,
      Object lock) {
    this.client = client;
    this.operation = operation;
    this.number = number;
    this.arguments =
        arguments == null ? List.of() : Collections.unmodifiableList(Arrays.asList(arguments));
    this.sentSinceCommit = sentSinceCommit;
    this.topicsSinceCommit = topicsSinceCommit;
    this.random = random;
    this.lock = lock;
  }

  /**
   * Names the client: its {@code client.id} when the real client reports one, else its kind, then
   * {@code #} and its number among the clients the injector wrapped ({@code producer-1#3}).
   *
   * @return the client's name
   */
  public String client() {
    return client;
  }

  /**
   * Returns the operation called.
   *
   * @return the operation
   */
  public Operation operation() {
    return operation;
  }

  /**
   * Returns how many times this operation was called on this client, this call included.
   *
   * @return 1 for the first call
   */
  public long number() {
    return number;
  }

  /**
   * Returns the call's arguments.
   *
   * @return an unmodifiable list; elements may be null
   */
  public List<Object> arguments() {
    return arguments;
  }

  /**
   * Returns how many records a producer sent since its last successful {@code commitTransaction},
   * {@code abortTransaction} or {@code flush}; 0 for consumers and admin clients.
   *
   * @return the count before this call
   */
  public long sentSinceCommit() {
    return sentSinceCommit;
  }

  /**
   * Returns the topics a producer sent to since its last successful {@code commitTransaction},
   * {@code abortTransaction} or {@code flush}; empty for consumers and admin clients.
   *
   * @return an unmodifiable set
   */
  public Set<String> topicsSinceCommit() {
    return topicsSinceCommit;
  }

  /**
   * Draws a number from the client's own random sequence, seeded from {@link
   * FaultInjector.Builder#seed(long)} and the client's number, so a client that makes the same
   * calls draws the same numbers.
   *
   * @return a number in [0, 1)
   */
  public double nextRandom() {
    synchronized (lock) {
      return random.nextDouble();
    }
  }

  @Override
  public String toString() {
    return operation + " #" + number + " on " + client;
  }
}
