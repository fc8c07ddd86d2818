package dev.weir.windowing;

import dev.weir.functions.AbstractRichFunction;
import dev.weir.functions.Collector;
import dev.weir.functions.OutputTag;
import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.MapState;
import dev.weir.state.MapStateDescriptor;
import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;

/**
 * The full window function: the key, its window's records (or the pre-aggregated result when
 * combined with {@code reduce}/{@code aggregate}) and a context with the window, the clocks,
 * per-window and per-key state, and side outputs.
 *
 * @param <IN> input type
 * @param <OUT> output type
 * @param <K> key type
 * @param <W> window type
 */
public abstract class ProcessWindowFunction<IN, OUT, K, W extends Window>
    extends AbstractRichFunction {
  private static final long serialVersionUID = 1L;

  /** For subclasses. */
  protected ProcessWindowFunction() {}

  /**
   * Evaluates a window when it fires.
   *
   * @param key the key
   * @param context the window and its state
   * @param elements the records, or the one pre-aggregated result; without an evictor the records
   *     are decoded as the iterator reaches them, anew on each pass (keep a copy to use them twice
   *     or after this call)
   * @param out the output; records are timestamped with the window's max timestamp
   * @throws Exception handled by the processing error handler
   */
  public abstract void process(K key, Context context, Iterable<IN> elements, Collector<OUT> out)
      throws Exception;

  /**
   * Called when the window is cleaned up: clear per-window state here.
   *
   * @param context the window and its state
   * @throws Exception handled by the processing error handler
   */
  public void clear(Context context) throws Exception {}

  /** The window being evaluated. Implemented by the library. */
  public abstract class Context {
    /** Created by the library only. */
    protected Context() {}

    /**
     * Returns the window.
     *
     * @return the window
     */
    public abstract W window();

    /**
     * Returns the processing-time clock.
     *
     * @return milliseconds since the epoch
     */
    public abstract long currentProcessingTime();

    /**
     * Returns the task's watermark.
     *
     * @return the watermark
     */
    public abstract long currentWatermark();

    /**
     * Returns state scoped to this key and window (cleared by you in {@link #clear}).
     *
     * @return the per-window state
     */
    public abstract KeyedStateStore windowState();

    /**
     * Returns state scoped to this key, shared by all its windows.
     *
     * @return the per-key state
     */
    public abstract KeyedStateStore globalState();

    /**
     * Emits to a side output.
     *
     * @param tag the side output
     * @param value the record
     * @param <X> its type
     */
    public abstract <X> void output(OutputTag<X> tag, X value);
  }

  /** State handles of one scope (per window or per key). */
  public interface KeyedStateStore {
    /**
     * Returns value state.
     *
     * @param d name and serde
     * @param <S> value type
     * @return the state
     */
    <S> ValueState<S> getState(ValueStateDescriptor<S> d);

    /**
     * Returns list state.
     *
     * @param d name and serde
     * @param <S> element type
     * @return the state
     */
    <S> ListState<S> getListState(ListStateDescriptor<S> d);

    /**
     * Returns map state.
     *
     * @param d name and serdes
     * @param <MK> map key type
     * @param <MV> map value type
     * @return the state
     */
    <MK, MV> MapState<MK, MV> getMapState(MapStateDescriptor<MK, MV> d);

    /**
     * Returns reducing state.
     *
     * @param d name, function and serde
     * @param <S> value type
     * @return the state
     */
    <S> ReducingState<S> getReducingState(ReducingStateDescriptor<S> d);
  }
}
