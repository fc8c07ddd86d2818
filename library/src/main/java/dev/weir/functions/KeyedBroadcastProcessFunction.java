package dev.weir.functions;

import dev.weir.eventtime.TimeDomain;
import dev.weir.eventtime.TimerService;
import dev.weir.state.BroadcastState;
import dev.weir.state.KeyedStateFunction;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReadOnlyBroadcastState;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;

/**
 * The function of a keyed stream connected with a broadcast stream: {@link #processElement} sees
 * the keyed records with keyed state, timers and read-only broadcast state; {@link
 * #processBroadcastElement} sees every broadcast record on every task, writes the broadcast state
 * and can visit the keyed state of all the task's keys ({@link Context#applyToKeyedState}), but has
 * no current key (keyed state used there directly fails).
 *
 * <pre>{@code
 * class Alerts extends KeyedBroadcastProcessFunction<String, Txn, Rule, String> {
 *   static final MapStateDescriptor<String, Rule> RULES =
 *       new MapStateDescriptor<>("rules", Serdes.String(), ruleSerde);
 *
 *   public void processElement(Txn t, ReadOnlyContext ctx, Collector<String> out) throws Exception {
 *     for (Rule r : ctx.getBroadcastState(RULES).immutableEntries().values()) {
 *       if (r.matches(t)) {
 *         out.collect(r.name() + ": " + t);
 *       }
 *     }
 *   }
 *
 *   public void processBroadcastElement(Rule r, Context ctx, Collector<String> out)
 *       throws Exception {
 *     ctx.getBroadcastState(RULES).put(r.name(), r);
 *   }
 * }
 * }</pre>
 *
 * @param <K> key type
 * @param <I1> the keyed input's type
 * @param <I2> the broadcast input's type
 * @param <O> output type
 */
public abstract class KeyedBroadcastProcessFunction<K, I1, I2, O> extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected KeyedBroadcastProcessFunction() {}

  /**
   * Processes one record of the keyed input. Called on the task's thread, never concurrently with
   * the other methods.
   *
   * @param value the record, never null
   * @param ctx key, timers, read-only broadcast state; valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement(I1 value, ReadOnlyContext ctx, Collector<O> out)
      throws Exception;

  /**
   * Processes one record of the broadcast input; every task gets every such record.
   *
   * @param value the record, never null
   * @param ctx writable broadcast state and access to all keys' state; valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processBroadcastElement(I2 value, Context ctx, Collector<O> out)
      throws Exception;

  /**
   * Called when a timer registered by {@link #processElement} fires, with the timer's key. Does
   * nothing unless overridden.
   *
   * @param timestamp the timer's time
   * @param ctx the timer's context
   * @param out the main output
   * @throws Exception handled by the configured processing error handler
   */
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {}

  /** What every method knows. Implemented by the library. */
  public abstract class BaseContext {
    /** Created by the library only. */
    protected BaseContext() {}

    /**
     * Returns the current record's (or timer's) timestamp.
     *
     * @return milliseconds since the epoch
     */
    public abstract long timestamp();

    /**
     * Returns the task's current event-time watermark (the keyed input's: see the broadcast state
     * guide).
     *
     * @return the watermark; {@code Long.MIN_VALUE} before the first watermark
     */
    public abstract long currentWatermark();

    /**
     * Returns the processing-time clock.
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

  /** The broadcast side's context. */
  public abstract class Context extends BaseContext {
    /** Created by the library only. */
    protected Context() {}

    /**
     * Returns the broadcast state of {@code descriptor}, writable.
     *
     * @param descriptor one of the descriptors given to {@code broadcast(...)}
     * @param <MK> map key type
     * @param <MV> map value type
     * @return the state
     * @throws IllegalArgumentException when the descriptor was not given to {@code broadcast}
     */
    public abstract <MK, MV> BroadcastState<MK, MV> getBroadcastState(
        MapStateDescriptor<MK, MV> descriptor);

    /**
     * Calls {@code function} for every key of this task that has a value in the value state {@code
     * descriptor}, with the state scoped to that key.
     *
     * @param descriptor the keyed state, as registered by the function
     * @param function the visitor
     * @param <T> the state's value type
     * @throws Exception what the visitor throws
     */
    public abstract <T> void applyToKeyedState(
        ValueStateDescriptor<T> descriptor, KeyedStateFunction<K, ValueState<T>> function)
        throws Exception;

    /**
     * As {@link #applyToKeyedState(ValueStateDescriptor, KeyedStateFunction)} for list state.
     *
     * @param descriptor the keyed state
     * @param function the visitor
     * @param <T> the element type
     * @throws Exception what the visitor throws
     */
    public abstract <T> void applyToKeyedState(
        ListStateDescriptor<T> descriptor, KeyedStateFunction<K, ListState<T>> function)
        throws Exception;

    /**
     * As {@link #applyToKeyedState(ValueStateDescriptor, KeyedStateFunction)} for map state.
     *
     * @param descriptor the keyed state
     * @param function the visitor
     * @param <MK> map key type
     * @param <MV> map value type
     * @throws Exception what the visitor throws
     */
    public abstract <MK, MV> void applyToKeyedState(
        MapStateDescriptor<MK, MV> descriptor, KeyedStateFunction<K, MapState<MK, MV>> function)
        throws Exception;
  }

  /** The keyed side's context: its key, timers and read-only broadcast state. */
  public abstract class ReadOnlyContext extends BaseContext {
    /** Created by the library only. */
    protected ReadOnlyContext() {}

    /**
     * Returns the broadcast state of {@code descriptor}, read only.
     *
     * @param descriptor one of the descriptors given to {@code broadcast(...)}
     * @param <MK> map key type
     * @param <MV> map value type
     * @return the state
     * @throws IllegalArgumentException when the descriptor was not given to {@code broadcast}
     */
    public abstract <MK, MV> ReadOnlyBroadcastState<MK, MV> getBroadcastState(
        MapStateDescriptor<MK, MV> descriptor);

    /**
     * Returns the key of the current record or timer.
     *
     * @return the key
     */
    public abstract K getCurrentKey();

    /**
     * Returns the timers of the current key.
     *
     * @return the timer service
     */
    public abstract TimerService timerService();
  }

  /** What {@link #onTimer} knows: the keyed side's context plus the timer's clock. */
  public abstract class OnTimerContext extends ReadOnlyContext {
    /** Created by the library only. */
    protected OnTimerContext() {}

    /**
     * Returns the clock of the firing timer.
     *
     * @return event or processing time
     */
    public abstract TimeDomain timeDomain();
  }
}
