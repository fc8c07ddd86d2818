package dev.weir.testkit.faults;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides whether a rule's {@link Fault} happens at a {@link Call}. Triggers built here depend only
 * on the call (its number, its client's random sequence), so every client counts for itself: {@code
 * onCall(3)} on {@link Operation#COMMIT_TRANSACTION} fails the third commit of <em>each</em>
 * producer. {@link #limit(long)} caps the total across clients.
 *
 * <p>Called on the thread that calls the client, with the client's lock held: keep it short, and
 * make your own implementations thread-safe.
 */
@FunctionalInterface
public interface Trigger {
  /**
   * Decides.
   *
   * @param call the call about to be made
   * @return true when the fault happens at this call
   */
  boolean fires(Call call);

  /**
   * Fires at every call.
   *
   * @return the trigger
   */
  static Trigger always() {
    return call -> true;
  }

  /**
   * Fires at the {@code n}-th call of the operation on each client.
   *
   * @param n 1 for the first call
   * @return the trigger
   * @throws IllegalArgumentException if {@code n < 1}
   */
  static Trigger onCall(long n) {
    return onCalls(n);
  }

  /**
   * Fires at each of these call numbers, on each client: a fixed schedule.
   *
   * @param numbers call numbers, each at least 1
   * @return the trigger
   * @throws IllegalArgumentException if a number is below 1 or none is given
   */
  static Trigger onCalls(long... numbers) {
    if (numbers.length == 0 || Arrays.stream(numbers).anyMatch(n -> n < 1)) {
      throw new IllegalArgumentException(
          "call numbers start at 1, got " + Arrays.toString(numbers));
    }
    long[] sorted = numbers.clone();
    Arrays.sort(sorted);
    return call -> Arrays.binarySearch(sorted, call.number()) >= 0;
  }

  /**
   * Fires at call {@code n} and at every call after it, on each client: a client that keeps
   * failing.
   *
   * @param n the first call that fails, at least 1
   * @return the trigger
   * @throws IllegalArgumentException if {@code n < 1}
   */
  static Trigger fromCall(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("call numbers start at 1, got " + n);
    }
    return call -> call.number() >= n;
  }

  /**
   * Fires at every {@code k}-th call (calls k, 2k, 3k, ...), on each client.
   *
   * @param k the period, at least 1
   * @return the trigger
   * @throws IllegalArgumentException if {@code k < 1}
   */
  static Trigger everyNthCall(long k) {
    if (k < 1) {
      throw new IllegalArgumentException("the period must be at least 1, got " + k);
    }
    return call -> call.number() % k == 0;
  }

  /**
   * Fires with probability {@code p} at each call, drawn from the client's random sequence ({@link
   * Call#nextRandom()}): the same seed and the same calls give the same faults.
   *
   * @param p from 0 (never) to 1 (always)
   * @return the trigger
   * @throws IllegalArgumentException if {@code p} is outside [0, 1]
   */
  static Trigger withProbability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("a probability is between 0 and 1, got " + p);
    }
    return call -> p > 0 && call.nextRandom() < p;
  }

  /**
   * Fires when both this trigger and {@code other} fire ({@code other} is asked only when this one
   * fires).
   *
   * @param other the second condition
   * @return the combined trigger
   */
  default Trigger and(Trigger other) {
    return call -> fires(call) && other.fires(call);
  }

  /**
   * Fires like this trigger, but at most {@code times} times in total, across all clients of the
   * injector: {@code onCall(2).limit(1)} fails the second commit of the first producer that gets
   * there, and no other.
   *
   * @param times the most times it fires, at least 1
   * @return the limited trigger; it keeps its own count
   * @throws IllegalArgumentException if {@code times < 1}
   */
  default Trigger limit(long times) {
    if (times < 1) {
      throw new IllegalArgumentException("a limit must be at least 1, got " + times);
    }
    AtomicLong left = new AtomicLong(times);
    return call -> fires(call) && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }
}
