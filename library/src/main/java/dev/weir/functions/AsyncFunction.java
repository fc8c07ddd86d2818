package dev.weir.functions;

import java.io.Serializable;
import java.util.concurrent.TimeoutException;

/**
 * Starts an asynchronous request for each record, for {@code AsyncDataStream.orderedWait} and
 * {@code unorderedWait}: a lookup in a database or a call to an HTTP service, with many requests in
 * flight per task instead of one blocking call at a time.
 *
 * <pre>{@code
 * AsyncDataStream.orderedWait(readings, (reading, result) ->
 *     client.roomOf(reading.sensorId())
 *         .whenComplete((room, error) -> {
 *           if (error != null) result.completeExceptionally(error);
 *           else result.complete(List.of(new Enriched(reading, room)));
 *         }), 1, TimeUnit.SECONDS, 100);
 * }</pre>
 *
 * @param <I> input type
 * @param <O> output type
 */
@FunctionalInterface
public interface AsyncFunction<I, O> extends Serializable {
  /**
   * Starts the request for one record and returns at once; the result goes to {@code resultFuture},
   * from any thread. Called on the task's stream thread, never concurrently for one task; it must
   * not block (use an asynchronous client, or a thread pool that completes the future).
   *
   * @param input the input record, never null
   * @param resultFuture completes the request exactly once; not null
   * @throws Exception a failure to start the request: a processing error of the record, handled by
   *     the configured processing error handler (unless the retry strategy requests it again)
   */
  void asyncInvoke(I input, ResultFuture<O> resultFuture) throws Exception;

  /**
   * Called on the task's thread when the request of {@code input} did not complete within the
   * operator's timeout (retries included). Complete {@code resultFuture} here with a fallback
   * result, or with an empty list to emit nothing; a result the original request delivers later is
   * then ignored.
   *
   * <p>The default completes it with a {@link TimeoutException}, which fails the task with an error
   * naming the operator and the record's position (SEMANTICS decision 6): a silent gap in the
   * output is never the default.
   *
   * @param input the input record whose request timed out
   * @param resultFuture a fresh future for the result; must be completed before this returns
   * @throws Exception a failure, handled like a failure of {@link #asyncInvoke}
   */
  default void timeout(I input, ResultFuture<O> resultFuture) throws Exception {
    resultFuture.completeExceptionally(
        new TimeoutException("the asynchronous request did not complete in time"));
  }
}
