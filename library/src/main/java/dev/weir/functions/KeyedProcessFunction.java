package dev.weir.functions;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.TimerService;

/**
 * The low-level function for keyed streams: like {@link ProcessFunction}, plus keyed state scoped
 * to the current key (through {@link #getRuntimeContext()}) and timers ({@link
 * Context#timerService()}, {@link #onTimer}).
 *
 * <pre>{@code
 * class RunningCount extends KeyedProcessFunction<String, String, String> {
 *   private transient ValueState<Long> count;
 *
 *   public void open() {
 *     count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Serdes.Long(), 0L));
 *   }
 *
 *   public void processElement(String value, Context ctx, Collector<String> out) {
 *     long n = count.value() + 1;
 *     count.update(n);
 *     out.collect(ctx.getCurrentKey() + "=" + n);
 *   }
 * }
 * }</pre>
 *
 * @param <K> key type
 * @param <I> input type
 * @param <O> output type
 */
public abstract class KeyedProcessFunction<K, I, O> extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected KeyedProcessFunction() {}

  /**
   * Processes one record. Called on the task's thread, never concurrently for one task.
   *
   * @param value the record, never null
   * @param ctx the record's context, valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement(I value, Context ctx, Collector<O> out) throws Exception;

  /**
   * Called when a timer registered through {@link Context#timerService()} fires. The context's key
   * is the timer's key and its timestamp the timer's time, which is also the timestamp of records
   * emitted here. Does nothing unless overridden.
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

  /** What a keyed process function knows about the current record. Implemented by the library. */
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
     * Returns the key of the current record.
     *
     * @return the key, deserialised with the keyed stream's key serde
     */
    public abstract K getCurrentKey();

    /**
     * Returns the task's current event-time watermark.
     *
     * @return the watermark; {@code Long.MIN_VALUE} before the first watermark
     */
    public abstract long currentWatermark();

    /**
     * Returns the timers of the current key.
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
