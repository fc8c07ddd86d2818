package dev.weir.stream;

import dev.weir.functions.AsyncFunction;
import dev.weir.functions.AsyncRetryStrategy;
import dev.weir.internal.graph.OperatorSpec;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Asynchronous I/O on a stream: each record starts a request ({@link AsyncFunction#asyncInvoke})
 * and up to {@code capacity} requests per task are in flight at once, so a task waiting for a
 * database or an HTTP service keeps many calls busy instead of one (docs/async-io.md).
 *
 * <ul>
 *   <li>{@code orderedWait} emits results in input order.
 *   <li>{@code unorderedWait} emits a result as soon as it arrives, but never across a watermark:
 *       records that entered before a watermark are all emitted before any record that entered
 *       after it, and the task's event time (timers, windows and markers downstream) does not pass
 *       a record still in flight.
 * </ul>
 *
 * <p>When {@code capacity} requests are in flight, the task stops reading input (its partitions are
 * paused) until a result arrives; other tasks of the thread keep running. Results come back to the
 * task's stream thread, which emits them with the input record's timestamp and key. A request that
 * does not complete within the timeout calls {@link AsyncFunction#timeout}, whose default fails the
 * task. When the input stream has a serde (a source's, or {@code .returns(serde)}) requests stay in
 * flight across a commit: the commit writes them into the operator's store (so the operator is
 * stateful: give it a {@code uid}) and a restart starts them again (design record 015). Without a
 * serde a commit first waits for the requests in flight (at most the timeout), so every committed
 * input has its results in the same transaction (design record 010).
 *
 * <p>Works on keyed and non-keyed streams; the result stream is not keyed. Build-time only: every
 * method records a node and checks its arguments.
 */
public final class AsyncDataStream {
  /** The capacity Flink uses when none is given. */
  public static final int DEFAULT_CAPACITY = 100;

  private AsyncDataStream() {}

  /**
   * Requests every record asynchronously and emits the results in input order.
   *
   * @param in the input stream; not null
   * @param function starts each request; copied per task; not null
   * @param timeout how long a record's request (retries included) may take; positive
   * @param unit the unit of {@code timeout}; not null
   * @param capacity requests in flight per task at most; positive
   * @param <I> input type
   * @param <O> output type
   * @return the stream of results
   * @throws IllegalArgumentException when {@code timeout} or {@code capacity} is not positive
   */
  public static <I, O> SingleOutputStreamOperator<O> orderedWait(
      DataStream<I> in, AsyncFunction<I, O> function, long timeout, TimeUnit unit, int capacity) {
    return add(in, function, true, timeout, unit, capacity, null);
  }

  /**
   * {@link #orderedWait(DataStream, AsyncFunction, long, TimeUnit, int)} with {@link
   * #DEFAULT_CAPACITY}.
   *
   * @param in the input stream; not null
   * @param function starts each request; not null
   * @param timeout how long a record's request may take; positive
   * @param unit the unit of {@code timeout}; not null
   * @param <I> input type
   * @param <O> output type
   * @return the stream of results
   */
  public static <I, O> SingleOutputStreamOperator<O> orderedWait(
      DataStream<I> in, AsyncFunction<I, O> function, long timeout, TimeUnit unit) {
    return orderedWait(in, function, timeout, unit, DEFAULT_CAPACITY);
  }

  /**
   * Requests every record asynchronously and emits each result when it arrives, reordering only
   * between two watermarks.
   *
   * @param in the input stream; not null
   * @param function starts each request; copied per task; not null
   * @param timeout how long a record's request (retries included) may take; positive
   * @param unit the unit of {@code timeout}; not null
   * @param capacity requests in flight per task at most; positive
   * @param <I> input type
   * @param <O> output type
   * @return the stream of results
   * @throws IllegalArgumentException when {@code timeout} or {@code capacity} is not positive
   */
  public static <I, O> SingleOutputStreamOperator<O> unorderedWait(
      DataStream<I> in, AsyncFunction<I, O> function, long timeout, TimeUnit unit, int capacity) {
    return add(in, function, false, timeout, unit, capacity, null);
  }

  /**
   * {@link #unorderedWait(DataStream, AsyncFunction, long, TimeUnit, int)} with {@link
   * #DEFAULT_CAPACITY}.
   *
   * @param in the input stream; not null
   * @param function starts each request; not null
   * @param timeout how long a record's request may take; positive
   * @param unit the unit of {@code timeout}; not null
   * @param <I> input type
   * @param <O> output type
   * @return the stream of results
   */
  public static <I, O> SingleOutputStreamOperator<O> unorderedWait(
      DataStream<I> in, AsyncFunction<I, O> function, long timeout, TimeUnit unit) {
    return unorderedWait(in, function, timeout, unit, DEFAULT_CAPACITY);
  }

  /**
   * {@link #orderedWait(DataStream, AsyncFunction, long, TimeUnit, int)} that requests a record
   * again as {@code retry} says.
   *
   * @param in the input stream; not null
   * @param function starts each request; not null
   * @param timeout how long a record's requests together may take; positive
   * @param unit the unit of {@code timeout}; not null
   * @param capacity records in flight per task at most; positive
   * @param retry when and how soon to request again; not null
   * @param <I> input type
   * @param <O> output type
   * @return the stream of results
   */
  public static <I, O> SingleOutputStreamOperator<O> orderedWaitWithRetry(
      DataStream<I> in,
      AsyncFunction<I, O> function,
      long timeout,
      TimeUnit unit,
      int capacity,
      AsyncRetryStrategy<O> retry) {
    return add(in, function, true, timeout, unit, capacity, Objects.requireNonNull(retry, "retry"));
  }

  /**
   * {@link #unorderedWait(DataStream, AsyncFunction, long, TimeUnit, int)} that requests a record
   * again as {@code retry} says.
   *
   * @param in the input stream; not null
   * @param function starts each request; not null
   * @param timeout how long a record's requests together may take; positive
   * @param unit the unit of {@code timeout}; not null
   * @param capacity records in flight per task at most; positive
   * @param retry when and how soon to request again; not null
   * @param <I> input type
   * @param <O> output type
   * @return the stream of results
   */
  public static <I, O> SingleOutputStreamOperator<O> unorderedWaitWithRetry(
      DataStream<I> in,
      AsyncFunction<I, O> function,
      long timeout,
      TimeUnit unit,
      int capacity,
      AsyncRetryStrategy<O> retry) {
    return add(
        in, function, false, timeout, unit, capacity, Objects.requireNonNull(retry, "retry"));
  }

  private static <I, O> SingleOutputStreamOperator<O> add(
      DataStream<I> in,
      AsyncFunction<I, O> function,
      boolean ordered,
      long timeout,
      TimeUnit unit,
      int capacity,
      AsyncRetryStrategy<O> retry) {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(unit, "unit");
    long timeoutMs = unit.toMillis(timeout);
    if (timeout <= 0 || timeoutMs <= 0) {
      throw new IllegalArgumentException(
          "An async operator's timeout must be at least 1 ms, got " + timeout + " " + unit);
    }
    if (capacity <= 0) {
      throw new IllegalArgumentException(
          "An async operator's capacity (requests in flight per task) must be positive, got "
              + capacity);
    }
    // Not keyed even on a keyed stream: its only state is the requests in flight at a commit,
    // kept by sequence, not by key (design record 015); the record's key still travels with its
    // results.
    return in.addOperator(
        ordered ? "orderedWait" : "unorderedWait",
        new OperatorSpec.AsyncSpec(function, ordered, timeoutMs, capacity, retry),
        false);
  }
}
