package dev.weir.functions;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.TimerService;

/**
 * The low-level function for two connected keyed streams: records of both inputs with equal keys
 * reach the same task, and both inputs share the keyed state of the current key (through {@link
 * #getRuntimeContext()}) and its timers ({@link Context#timerService()}, {@link #onTimer}). The
 * tool for custom joins, such as enriching transactions with the latest record of their user.
 *
 * <pre>{@code
 * class Enrich extends KeyedCoProcessFunction<String, Txn, User, String> {
 *   private transient ValueState<User> user;
 *
 *   public void open() {
 *     user = getRuntimeContext().getState(new ValueStateDescriptor<>("user", userSerde));
 *   }
 *
 *   public void processElement1(Txn t, Context ctx, Collector<String> out) throws Exception {
 *     User u = user.value();
 *     out.collect(t.id() + " by " + (u == null ? "unknown" : u.name()));
 *   }
 *
 *   public void processElement2(User u, Context ctx, Collector<String> out) throws Exception {
 *     user.update(u);
 *   }
 * }
 * }</pre>
 *
 * @param <K> key type
 * @param <I1> the first input's type
 * @param <I2> the second input's type
 * @param <O> output type
 */
public abstract class KeyedCoProcessFunction<K, I1, I2, O> extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected KeyedCoProcessFunction() {}

  /**
   * Processes one record of the first input. Called on the task's thread, never concurrently with
   * the other methods for one task.
   *
   * @param value the record, never null
   * @param ctx the record's context (its key, timers), valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement1(I1 value, Context ctx, Collector<O> out) throws Exception;

  /**
   * Processes one record of the second input, as {@link #processElement1}.
   *
   * @param value the record, never null
   * @param ctx the record's context (its key, timers), valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement2(I2 value, Context ctx, Collector<O> out) throws Exception;

  /**
   * Called when a timer registered from either input fires. The context's key is the timer's key
   * and its timestamp the timer's time, which is also the timestamp of records emitted here. Does
   * nothing unless overridden.
   *
   * @param timestamp the timer's time
   * @param ctx the timer's context (key, time domain, timers, side outputs)
   * @param out the main output
   * @throws Exception handled by the configured processing error handler
   */
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {}

  /** What {@link #onTimer} knows: the context of a record, plus the timer's time domain. */
  public abstract class OnTimerContext extends Context {
    /** Created by the library only. */
    protected OnTimerContext() {}

    /**
     * Returns the clock of the firing timer.
     *
     * @return event or processing time
     */
    public abstract TimeDomain timeDomain();
  }

  /** What the function knows about the current record. Implemented by the library. */
  public abstract class Context {
    /** Created by the library only. */
    protected Context() {}

    /**
     * Returns the current record's timestamp (its event time).
     *
     * @return milliseconds since the epoch
     */
    public abstract long timestamp();

    /**
     * Returns the key of the current record (of either input).
     *
     * @return the key, deserialised with the inputs' key serde
     */
    public abstract K getCurrentKey();

    /**
     * Returns the task's current event-time watermark: the minimum over both inputs, an idle input
     * not counted.
     *
     * @return the watermark; {@code Long.MIN_VALUE} before the first watermark
     */
    public abstract long currentWatermark();

    /**
     * Returns the timers of the current key, shared by both inputs.
     *
     * @return the timer service
     */
    public abstract TimerService timerService();

    /**
     * Returns the processing-time clock (wall clock, or the test driver's manual clock).
     *
     * @return milliseconds since the epoch
     */
    public abstract long currentProcessingTime();

    /**
     * Emits a record to a side output, with the current record's timestamp.
     *
     * @param tag the side output
     * @param value the record; must not be null
     * @param <X> the side output's type
     */
    public abstract <X> void output(OutputTag<X> tag, X value);
  }
}
