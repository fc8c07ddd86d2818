package dev.weir.internal.task;

import dev.weir.errors.WeirException;
import dev.weir.functions.AsyncFunction;
import dev.weir.functions.AsyncRetryStrategy;
import dev.weir.functions.ResultFuture;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.serialization.Serde;

/**
 * Runs an {@link AsyncFunction} (design record 010): every record becomes an entry holding a copy
 * of its record context, and a request; results come back through a {@link ResultFuture} from any
 * thread into a concurrent queue, and only the task's thread takes them out ({@link #drain}),
 * applies the retry strategy and emits them with the entry's context (timestamp, key, position).
 *
 * <p>Order: entries are kept in input order. Ordered mode emits the head while it is done.
 * Unordered mode emits any done entry of the head segment, a segment being the entries that entered
 * under the same input watermark; so no result passes a watermark in either direction. The operator
 * holds the task's event time at the input watermark of its oldest entry ({@link #watermarkHold}),
 * so timers and markers downstream never pass a record still in flight.
 *
 * <p>Capacity: {@link #full()} tells the task to stop taking input. A record that fans out to more
 * requests than there is room for waits on the thread's signal for a free slot (this blocks the
 * thread; only a record of an upstream flatMap can do it).
 *
 * <p>Commits (design record 015): when the operator has a store (its input stream has a serde),
 * {@link #prepareCommit} writes every request still in flight that is not in the store yet, and
 * emitting a request's results deletes its entry; a commit does not wait for requests, and a task
 * restored from that commit starts the stored requests again, in input order, before any new
 * record. Without a store the task drains its requests before every commit ({@link
 * #drainsAtCommit}), as design record 010 decided.
 *
 * <p>Timeouts and retries run on the task's processing-time clock from {@link #onProcessingTime}.
 * Everything except {@link Future#complete} / {@link Future#completeExceptionally} runs on the
 * task's thread.
 */
final class AsyncWaitOperator<I, O> extends FunctionOperator<I, AsyncFunction<I, O>> {
  private final boolean ordered;
  private final long timeoutMs;
  private final int capacity;
  private final AsyncRetryStrategy<O> retry;
  private final Emitter<O> out;
  private final Serde<I> inputSerde;
  private final ArrayDeque<Entry<I, O>> queue = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private volatile Semaphore signal;

  /** The input watermark of the entry being emitted: it holds event time until it is out. */
  private long emitting = Long.MAX_VALUE;

  private volatile boolean closed;

  /** Where requests in flight at a commit are kept; null: the task drains them at commits. */
  private AsyncInFlightState<I> inFlight;

  /** The sequence number of the next request, the key of its entry in {@link #inFlight}. */
  private long nextSequence;

  private AsyncWaitOperator(
      String name,
      AsyncFunction<I, O> function,
      boolean ordered,
      long timeoutMs,
      int capacity,
      AsyncRetryStrategy<O> retry,
      Serde<I> inputSerde,
      Emitter<O> out) {
    super(name, function);
    this.inputSerde = inputSerde;
    this.ordered = ordered;
    this.timeoutMs = timeoutMs;
    this.capacity = capacity;
    this.retry = retry == null ? null : FunctionCopier.copy(retry, name);
    this.out = out;
  }

  /**
   * The factory.
   *
   * @param inputSerde the input stream's serde, or null when it has none (the plan then gives the
   *     operator no store and the task drains requests at commits)
   */
  static <I, O> OperatorFactory<I, O> factory(
      AsyncFunction<I, O> fn,
      boolean ordered,
      long timeoutMs,
      int capacity,
      AsyncRetryStrategy<O> retry,
      Serde<I> inputSerde) {
    return (name, out, sides) ->
        new AsyncWaitOperator<>(name, fn, ordered, timeoutMs, capacity, retry, inputSerde, out);
  }

  /** One input record and its request. */
  private static final class Entry<I, O> {
    final I input;
    final RecordContext record;
    final long watermark;
    final long sequence;
    long deadline;
    int attempt = 1;
    boolean stored;
    Object future;
    long retryAt = -1;
    boolean timedOut;
    boolean done;
    Collection<O> result;
    Throwable error;

    Entry(I input, RecordContext record, long watermark, long sequence, long deadline) {
      this.input = input;
      this.record = record;
      this.watermark = watermark;
      this.sequence = sequence;
      this.deadline = deadline;
    }
  }

  /** What a future was completed with, on its way to the task's thread. */
  private final class Completion {
    final Future future;
    final Collection<O> results;
    final Throwable error;
    final boolean duplicate;

    Completion(Future future, Collection<O> results, Throwable error, boolean duplicate) {
      this.future = future;
      this.results = results;
      this.error = error;
      this.duplicate = duplicate;
    }
  }

  /** The future of one attempt; the only part of the operator other threads call. */
  private final class Future implements ResultFuture<O> {
    final Entry<I, O> entry;
    final AtomicBoolean completed = new AtomicBoolean();

    Future(Entry<I, O> entry) {
      this.entry = entry;
    }

    @Override
    public void complete(Collection<O> results) {
      offer(results, null);
    }

    @Override
    public void completeExceptionally(Throwable error) {
      offer(null, error == null ? new NullPointerException("completeExceptionally(null)") : error);
    }

    private void offer(Collection<O> results, Throwable error) {
      boolean first = completed.compareAndSet(false, true);
      if (closed) {
        return; // the task is gone; its inputs are read again from the last commit
      }
      completions.add(new Completion(this, results, error, !first));
      Semaphore s = signal;
      if (s != null) {
        s.release();
      }
    }
  }

  @Override
  protected void doOpen() throws Exception {
    signal = task.asyncSignal();
    task.addWatermarkHold(this::watermarkHold);
    if (storeName != null && inputSerde != null && task.state() != null) {
      inFlight =
          new AsyncInFlightState<>(
              task.state().store(storeName),
              inputSerde,
              task.applicationId() + "-" + storeName + "-in-flight",
              name);
    }
    super.doOpen();
    if (inFlight != null) {
      restartStoredRequests();
    }
  }

  /**
   * Starts again, in input order, the requests the last commit found in flight: they enter the
   * queue before any record read after that commit, under the watermarks they entered under, so the
   * order of results and the event time held back are as if the task had not stopped. A request
   * that cannot start fails in its turn, like one completed exceptionally.
   */
  private void restartStoredRequests() {
    long now = task.currentProcessingTime();
    for (AsyncInFlightState.Restored<I> r : inFlight.load()) {
      Entry<I, O> e =
          new Entry<>(r.input(), r.record(), r.watermark(), r.sequence(), now + timeoutMs);
      e.stored = true;
      nextSequence = r.sequence() + 1;
      queue.addLast(e);
      task.metrics().asyncInFlight.increment();
      task.record().copyFrom(e.record);
      try {
        invoke(e);
      } catch (Exception x) {
        e.done = true;
        e.error = x;
      }
    }
  }

  /**
   * Whether a commit must wait until this operator has no request in flight: it has no store to
   * keep them in (its input stream has no serde).
   */
  boolean drainsAtCommit() {
    return inFlight == null;
  }

  /** Keeps the requests in flight that the store does not hold yet; joins the transaction. */
  @Override
  void prepareCommit() {
    if (inFlight == null) {
      return;
    }
    for (Entry<I, O> e : queue) {
      if (!e.stored) {
        inFlight.put(e.sequence, e.input, e.record, e.watermark);
        e.stored = true;
      }
    }
  }

  /** Whether as many requests as the capacity allows are in flight. */
  boolean full() {
    return queue.size() >= capacity;
  }

  /** Entries started and not yet emitted. */
  int inFlight() {
    return queue.size();
  }

  /** Whether results wait in the completion queue. */
  boolean hasCompletions() {
    return !completions.isEmpty();
  }

  /** The input watermark of the oldest entry not emitted yet, or MAX_VALUE: no hold. */
  long watermarkHold() {
    Entry<I, O> head = queue.peekFirst();
    return Math.min(emitting, head == null ? Long.MAX_VALUE : head.watermark);
  }

  /** The earliest processing time at which a timeout or a retry is due, or MAX_VALUE. */
  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (Entry<I, O> e : queue) {
      if (!e.done) {
        next = Math.min(next, e.retryAt >= 0 ? Math.min(e.retryAt, e.deadline) : e.deadline);
      }
    }
    return next;
  }

  @Override
  public void process(I value) throws Exception {
    while (full()) {
      awaitFreeSlot();
    }
    long now = task.currentProcessingTime();
    Entry<I, O> e =
        new Entry<>(
            value,
            task.record().copy(),
            task.watermarks().watermark(),
            nextSequence++,
            now + timeoutMs);
    queue.addLast(e);
    task.metrics().asyncInFlight.increment();
    try {
      invoke(e);
    } catch (Exception x) {
      // A request that could not start is the current record's processing error, at once.
      e.done = true;
      queue.removeLastOccurrence(e);
      task.metrics().asyncInFlight.decrement();
      throw OperatorException.wrap(name, x);
    }
  }

  private void invoke(Entry<I, O> e) throws Exception {
    Future f = new Future(e);
    e.future = f;
    task.metrics().asyncRequests.increment();
    function.asyncInvoke(e.input, f);
  }

  /**
   * Takes the arrived results, applies the retry strategy and emits what is ready.
   *
   * @return whether any result arrived
   * @throws OperatorException a failed request, in its turn, with the task's record context set to
   *     its record (the task's error handler decides); or a downstream failure
   * @throws WeirException a request that timed out with the default {@code timeout}
   */
  boolean drain() throws Exception {
    boolean any = false;
    Completion c;
    while ((c = completions.poll()) != null) {
      any = true;
      Entry<I, O> e = c.future.entry;
      if (c.duplicate) {
        task.record().copyFrom(e.record);
        throw OperatorException.wrap(
            name,
            new IllegalStateException(
                "the ResultFuture of record "
                    + e.record.position()
                    + " was completed twice; complete each request exactly once"));
      }
      if (e.future != c.future || e.done) {
        continue; // an attempt replaced by a retry or a timeout: its result is ignored
      }
      accept(e, c.results, c.error);
    }
    emitReady();
    return any;
  }

  private void accept(Entry<I, O> e, Collection<O> results, Throwable error) throws Exception {
    if (error == null && results == null) {
      error =
          new NullPointerException(
              "ResultFuture.complete(null); complete(List.of()) emits nothing");
    }
    if (retry != null && !e.timedOut && e.attempt <= retry.maxRetries()) {
      boolean again;
      try {
        again = error != null ? retry.retriesException(error) : retry.retriesResult(results);
      } catch (RuntimeException x) {
        task.record().copyFrom(e.record);
        throw OperatorException.wrap(name, x);
      }
      if (again) {
        e.retryAt = task.currentProcessingTime() + retry.delayMs(e.attempt);
        return;
      }
    }
    e.done = true;
    e.result = results;
    e.error = error;
  }

  /** Emits the done entries that may go now (ordered: from the head; unordered: head segment). */
  private void emitReady() throws Exception {
    if (ordered) {
      while (!queue.isEmpty() && queue.peekFirst().done) {
        emit(queue.pollFirst());
      }
      return;
    }
    while (!queue.isEmpty()) {
      long segment = queue.peekFirst().watermark;
      boolean waiting = false;
      for (Iterator<Entry<I, O>> it = queue.iterator(); it.hasNext(); ) {
        Entry<I, O> e = it.next();
        if (e.watermark != segment) {
          break;
        }
        if (e.done) {
          it.remove();
          emit(e);
        } else {
          waiting = true;
        }
      }
      if (waiting) {
        return;
      }
    }
  }

  private void emit(Entry<I, O> e) throws Exception {
    if (e.stored) {
      inFlight.delete(e.sequence); // in the transaction that holds the results
    }
    emitting = e.watermark;
    try {
      emitResults(e);
    } finally {
      emitting = Long.MAX_VALUE;
    }
  }

  private void emitResults(Entry<I, O> e) throws Exception {
    task.metrics().asyncInFlight.decrement();
    task.record().copyFrom(e.record);
    if (e.error != null) {
      if (e.timedOut && e.error instanceof TimeoutException) {
        throw new WeirException(
            "Task "
                + task.taskId()
                + ": async operator '"
                + name
                + "' timed out after "
                + timeoutMs
                + " ms waiting for the result of record "
                + e.record.position()
                + " (attempt "
                + e.attempt
                + "). The default AsyncFunction.timeout fails the task: override timeout(input,"
                + " resultFuture) to complete with a fallback (or List.of() to emit nothing), or"
                + " raise the timeout",
            e.error);
      }
      throw OperatorException.wrap(name, e.error);
    }
    for (O o : e.result) {
      if (o == null) {
        throw OperatorException.wrap(
            name,
            new NullPointerException(
                "the async result of record " + e.record.position() + " contains null"));
      }
      out.emit(o);
    }
  }

  /** Times out requests past their deadline and starts retries that are due, then emits. */
  @Override
  public void onProcessingTime(long now) throws Exception {
    runTimers(now);
  }

  /**
   * {@link #onProcessingTime} that says whether anything happened.
   *
   * @return whether a result arrived, a request timed out or a retry started
   */
  boolean runTimers(long now) throws Exception {
    boolean any = drain();
    for (Entry<I, O> e : queue) {
      if (e.done) {
        continue;
      }
      if (e.deadline <= now) {
        any = true;
        timeOut(e);
      } else if (e.retryAt >= 0 && e.retryAt <= now) {
        any = true;
        retry(e);
      }
    }
    return drain() || any;
  }

  private void timeOut(Entry<I, O> e) throws Exception {
    task.metrics().asyncTimeouts.increment();
    e.timedOut = true;
    e.retryAt = -1;
    Future f = new Future(e);
    e.future = f;
    task.record().copyFrom(e.record);
    try {
      function.timeout(e.input, f);
    } catch (Exception x) {
      e.done = true;
      e.result = null;
      e.error = x;
      return;
    }
    if (!f.completed.get()) {
      e.done = true;
      e.error =
          new IllegalStateException(
              "timeout(input, resultFuture) returned without completing the future of record "
                  + e.record.position()
                  + "; complete it with a fallback, List.of(), or an exception");
    }
  }

  private void retry(Entry<I, O> e) throws Exception {
    task.metrics().asyncRetries.increment();
    e.retryAt = -1;
    e.attempt++;
    task.record().copyFrom(e.record);
    try {
      invoke(e);
    } catch (Exception x) {
      accept(e, null, x);
    }
  }

  /**
   * Waits until a result or a deadline frees a slot: the thread stops, so only a record that fans
   * out past the capacity gets here. The current record's context is kept across the wait.
   */
  private void awaitFreeSlot() throws Exception {
    Semaphore s = signal;
    if (s == null) {
      throw new IllegalStateException(
          "Async operator '"
              + name
              + "': one input record asked for more requests than its capacity ("
              + capacity
              + ") while no stream thread can wait for results (test driver): complete the"
              + " requests first or raise the capacity");
    }
    RecordContext current = task.record().copy();
    try {
      s.drainPermits();
      if (!hasCompletions()) {
        long wait = nextDeadline() - task.currentProcessingTime();
        if (wait > 0) {
          s.tryAcquire(Math.min(wait, 1000), TimeUnit.MILLISECONDS);
        }
      }
      onProcessingTime(task.currentProcessingTime());
    } finally {
      task.record().copyFrom(current);
    }
  }

  @Override
  public void close() throws Exception {
    closed = true;
    task.metrics().asyncInFlight.add(-queue.size());
    queue.clear();
    completions.clear();
    super.close();
  }
}
