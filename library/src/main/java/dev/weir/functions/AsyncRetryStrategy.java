package dev.weir.functions;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/**
 * When and how soon an async operator requests a record again: after a failure ({@link
 * #ifException}) or a result the predicate rejects ({@link #ifResult}), up to a number of retries,
 * with a fixed delay or an exponential backoff. Delays are measured on the task's processing-time
 * clock (the test driver's clock in tests); the operator's timeout covers the first request and
 * every retry together.
 *
 * <pre>{@code
 * AsyncRetryStrategy<Enriched> retry =
 *     AsyncRetryStrategy.<Enriched>exponentialBackoff(3, Duration.ofMillis(10), Duration.ofSeconds(1), 2.0)
 *         .ifResult(AsyncRetryStrategy.emptyResult())
 *         .ifException(e -> e instanceof java.io.IOException);
 * }</pre>
 *
 * <p>Immutable and serialisable (it is copied per task with the function); {@code ifResult} and
 * {@code ifException} return new strategies.
 *
 * @param <O> the async function's output type
 */
public final class AsyncRetryStrategy<O> implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Decides from a result whether to request again; must be serialisable.
   *
   * @param <O> the async function's output type
   */
  @FunctionalInterface
  public interface ResultPredicate<O> extends Serializable {
    /**
     * Tests one result.
     *
     * @param results what the request completed with; not null
     * @return true to request the record again (while retries remain)
     */
    boolean test(Collection<O> results);
  }

  /** Decides from a failure whether to request again; must be serialisable. */
  @FunctionalInterface
  public interface ExceptionPredicate extends Serializable {
    /**
     * Tests one failure.
     *
     * @param error what the request failed with (or what {@code asyncInvoke} threw); not null
     * @return true to request the record again (while retries remain)
     */
    boolean test(Throwable error);
  }

  /** Requests after the first, at least 1. */
  private final int maxRetries;

  /** The wait before the first retry, milliseconds. */
  private final long initialDelayMs;

  /** The longest wait, milliseconds. */
  private final long maxDelayMs;

  /** Growth of the wait per retry; 1 for a fixed delay. */
  private final double multiplier;

  /** Which results are requested again. */
  private final ResultPredicate<O> resultPredicate;

  /** Which failures are requested again. */
  private final ExceptionPredicate exceptionPredicate;

  private AsyncRetryStrategy(
      int maxRetries,
      long initialDelayMs,
      long maxDelayMs,
      double multiplier,
      ResultPredicate<O> resultPredicate,
      ExceptionPredicate exceptionPredicate) {
    this.maxRetries = maxRetries;
    this.initialDelayMs = initialDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.multiplier = multiplier;
    this.resultPredicate = resultPredicate;
    this.exceptionPredicate = exceptionPredicate;
  }

  /**
   * Retries up to {@code maxRetries} times, {@code delay} after each failed attempt. Without {@link
   * #ifResult} / {@link #ifException}, every failure is retried and no result is.
   *
   * @param maxRetries requests after the first, at least 1
   * @param delay the wait before each retry; zero or more
   * @param <O> output type
   * @return the strategy
   * @throws IllegalArgumentException when a bound is out of range
   */
  public static <O> AsyncRetryStrategy<O> fixedDelay(int maxRetries, Duration delay) {
    long ms = checkDelay(delay, "delay");
    return new AsyncRetryStrategy<>(checkRetries(maxRetries), ms, ms, 1.0, r -> false, e -> true);
  }

  /**
   * Retries up to {@code maxRetries} times; the first retry waits {@code initialDelay}, each next
   * one {@code multiplier} times longer, never more than {@code maxDelay}. Without {@link
   * #ifResult} / {@link #ifException}, every failure is retried and no result is.
   *
   * @param maxRetries requests after the first, at least 1
   * @param initialDelay the wait before the first retry; zero or more
   * @param maxDelay the longest wait; at least {@code initialDelay}
   * @param multiplier growth of the wait per retry; at least 1
   * @param <O> output type
   * @return the strategy
   * @throws IllegalArgumentException when a bound is out of range
   */
  public static <O> AsyncRetryStrategy<O> exponentialBackoff(
      int maxRetries, Duration initialDelay, Duration maxDelay, double multiplier) {
    long first = checkDelay(initialDelay, "initialDelay");
    long max = checkDelay(maxDelay, "maxDelay");
    if (max < first || !(multiplier >= 1.0)) {
      throw new IllegalArgumentException(
          "Exponential backoff needs maxDelay >= initialDelay and multiplier >= 1; got "
              + initialDelay
              + ", "
              + maxDelay
              + ", "
              + multiplier);
    }
    return new AsyncRetryStrategy<>(
        checkRetries(maxRetries), first, max, multiplier, r -> false, e -> true);
  }

  /**
   * A strategy that also retries results {@code predicate} accepts (replacing an earlier one).
   *
   * @param predicate tests each result; not null
   * @return a new strategy
   */
  public AsyncRetryStrategy<O> ifResult(ResultPredicate<O> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return new AsyncRetryStrategy<>(
        maxRetries, initialDelayMs, maxDelayMs, multiplier, predicate, exceptionPredicate);
  }

  /**
   * A strategy that retries only the failures {@code predicate} accepts (replacing the default,
   * which retries every failure).
   *
   * @param predicate tests each failure; not null
   * @return a new strategy
   */
  public AsyncRetryStrategy<O> ifException(ExceptionPredicate predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return new AsyncRetryStrategy<>(
        maxRetries, initialDelayMs, maxDelayMs, multiplier, resultPredicate, predicate);
  }

  /**
   * A result predicate accepting empty results (a lookup that found nothing yet).
   *
   * @param <O> output type
   * @return the predicate
   */
  public static <O> ResultPredicate<O> emptyResult() {
    return Collection::isEmpty;
  }

  /**
   * Returns the retries allowed after the first request.
   *
   * @return at least 1
   */
  public int maxRetries() {
    return maxRetries;
  }

  /**
   * Returns the wait before retry number {@code retry}.
   *
   * @param retry 1 for the first retry
   * @return milliseconds, zero or more
   */
  public long delayMs(int retry) {
    double d = initialDelayMs;
    for (int i = 1; i < retry && d < maxDelayMs; i++) {
      d *= multiplier;
    }
    return (long) Math.min(d, maxDelayMs);
  }

  /**
   * Returns whether a result asks for another request.
   *
   * @param results the completed results; not null
   * @return the result predicate's answer
   */
  public boolean retriesResult(Collection<O> results) {
    return resultPredicate.test(results);
  }

  /**
   * Returns whether a failure asks for another request.
   *
   * @param error the failure; not null
   * @return the exception predicate's answer
   */
  public boolean retriesException(Throwable error) {
    return exceptionPredicate.test(error);
  }

  private static int checkRetries(int maxRetries) {
    if (maxRetries < 1) {
      throw new IllegalArgumentException("maxRetries must be at least 1, got " + maxRetries);
    }
    return maxRetries;
  }

  private static long checkDelay(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + d);
    }
    return d.toMillis();
  }
}
