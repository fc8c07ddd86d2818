package dev.weir.functions;

import java.util.Collection;

/**
 * Where an {@link AsyncFunction} puts the result of one request. Complete it exactly once, from any
 * thread: the call only hands the result to the task, whose stream thread emits it (or applies the
 * retry strategy) on its next turn, so no user code and no downstream operator ever runs on the
 * calling thread.
 *
 * <p>A second completion of the same future is a bug in the function: the task reports it as a
 * processing error of the record, naming the operator and the record's position. A completion that
 * arrives after the request timed out is ignored.
 *
 * @param <O> output type
 */
public interface ResultFuture<O> {
  /**
   * Completes the request with its results, emitted with the input record's timestamp (and key).
   *
   * @param results zero, one or many results; not null, no null element; not copied, so do not
   *     change it afterwards
   */
  void complete(Collection<O> results);

  /**
   * Completes the request with a failure. The retry strategy may request it again; otherwise the
   * failure is a processing error of the input record, handled by the configured processing error
   * handler ({@code fail} by default).
   *
   * @param error the failure; not null
   */
  void completeExceptionally(Throwable error);
}
