package dev.weir.functions;

import dev.weir.state.BroadcastState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReadOnlyBroadcastState;

/**
 * The function of a non-keyed stream connected with a broadcast stream: every task sees every
 * record of the broadcast stream ({@link #processBroadcastElement}, which may write the broadcast
 * state) and its share of the other stream ({@link #processElement}, which reads it only). So all
 * tasks hold the same broadcast state: rules, thresholds, configuration.
 *
 * <p>No keyed state and no timers; connect a keyed stream for those ({@link
 * KeyedBroadcastProcessFunction}).
 *
 * @param <I1> the non-broadcast input's type
 * @param <I2> the broadcast input's type
 * @param <O> output type
 */
public abstract class BroadcastProcessFunction<I1, I2, O> extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** Creates the function. */
  protected BroadcastProcessFunction() {}

  /**
   * Processes one record of the non-broadcast input. Called on the task's thread, never
   * concurrently with {@link #processBroadcastElement}.
   *
   * @param value the record, never null
   * @param ctx read-only broadcast state, timestamp and clocks; valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processElement(I1 value, ReadOnlyContext ctx, Collector<O> out)
      throws Exception;

  /**
   * Processes one record of the broadcast input; every task gets every such record.
   *
   * @param value the record, never null
   * @param ctx writable broadcast state, timestamp and clocks; valid only during this call
   * @param out the main output, valid only during this call
   * @throws Exception handled by the configured processing error handler
   */
  public abstract void processBroadcastElement(I2 value, Context ctx, Collector<O> out)
      throws Exception;

  /** What both methods know. Implemented by the library. */
  public abstract class BaseContext {
    /** Created by the library only. */
    protected BaseContext() {}

    /**
     * Returns the current record's timestamp.
     *
     * @return milliseconds since the epoch
     */
    public abstract long timestamp();

    /**
     * Returns the task's current event-time watermark (the non-broadcast input's: see the broadcast
     * state guide).
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

  /** The broadcast side's context: writable broadcast state. */
  public abstract class Context extends BaseContext {
    /** Created by the library only. */
    protected Context() {}

    /**
     * Returns the broadcast state of {@code descriptor}.
     *
     * @param descriptor one of the descriptors given to {@code broadcast(...)}
     * @param <K> map key type
     * @param <V> map value type
     * @return the state, writable
     * @throws IllegalArgumentException when the descriptor was not given to {@code broadcast}
     */
    public abstract <K, V> BroadcastState<K, V> getBroadcastState(
        MapStateDescriptor<K, V> descriptor);
  }

  /** The non-broadcast side's context: read-only broadcast state. */
  public abstract class ReadOnlyContext extends BaseContext {
    /** Created by the library only. */
    protected ReadOnlyContext() {}

    /**
     * Returns the broadcast state of {@code descriptor}, read only.
     *
     * @param descriptor one of the descriptors given to {@code broadcast(...)}
     * @param <K> map key type
     * @param <V> map value type
     * @return the state, read only
     * @throws IllegalArgumentException when the descriptor was not given to {@code broadcast}
     */
    public abstract <K, V> ReadOnlyBroadcastState<K, V> getBroadcastState(
        MapStateDescriptor<K, V> descriptor);
  }
}
