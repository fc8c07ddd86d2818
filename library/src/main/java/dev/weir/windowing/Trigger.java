package dev.weir.windowing;

import dev.weir.state.ListState;
import dev.weir.state.ListStateDescriptor;
import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import dev.weir.state.StateDescriptor;
import dev.weir.state.ValueState;
import dev.weir.state.ValueStateDescriptor;
import java.io.Serializable;

/**
 * Decides when a window fires and when its contents are purged. Called per (key, window); its state
 * ({@link TriggerContext#getReducingState} etc.) and timers are scoped to that key and window, live
 * in the task's store and are changelogged. A trigger set with {@code WindowedStream.trigger(...)}
 * replaces the assigner's default.
 *
 * @param <T> record type
 * @param <W> window type
 */
public abstract class Trigger<T, W extends Window> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** For subclasses. */
  protected Trigger() {}

  /**
   * Called for every record added to a window.
   *
   * @param element the record
   * @param timestamp its event timestamp
   * @param window the window
   * @param ctx timers and state of this key and window
   * @return what to do
   * @throws Exception fails the record (the configured error handler decides)
   */
  public abstract TriggerResult onElement(T element, long timestamp, W window, TriggerContext ctx)
      throws Exception;

  /**
   * Called when an event-time timer set through the context fires.
   *
   * @param time the timer's time
   * @param window the window
   * @param ctx timers and state of this key and window
   * @return what to do
   * @throws Exception fails the timer
   */
  public abstract TriggerResult onEventTime(long time, W window, TriggerContext ctx)
      throws Exception;

  /**
   * Called when a processing-time timer set through the context fires.
   *
   * @param time the timer's time
   * @param window the window
   * @param ctx timers and state of this key and window
   * @return what to do
   * @throws Exception fails the timer
   */
  public abstract TriggerResult onProcessingTime(long time, W window, TriggerContext ctx)
      throws Exception;

  /**
   * Returns whether this trigger supports merging windows (required with session windows).
   *
   * @return false unless overridden
   */
  public boolean canMerge() {
    return false;
  }

  /**
   * Called when windows merged into {@code window}: re-register timers for it and merge state with
   * {@link OnMergeContext#mergePartitionedState}.
   *
   * @param window the merged window
   * @param ctx timers and state of the merged window
   * @throws Exception fails the record that caused the merge
   */
  public void onMerge(W window, OnMergeContext ctx) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " does not support merging windows");
  }

  /**
   * Called when the window is removed: delete this trigger's timers and state for it.
   *
   * @param window the window
   * @param ctx timers and state of this key and window
   * @throws Exception fails the cleanup
   */
  public abstract void clear(W window, TriggerContext ctx) throws Exception;

  /** Timers and state of one key and window. Implemented by the library. */
  public interface TriggerContext {
    /**
     * Returns the processing-time clock.
     *
     * @return milliseconds since the epoch
     */
    long getCurrentProcessingTime();

    /**
     * Returns the task's watermark.
     *
     * @return the watermark
     */
    long getCurrentWatermark();

    /**
     * Registers a processing-time timer for this key and window.
     *
     * @param time when
     */
    void registerProcessingTimeTimer(long time);

    /**
     * Registers an event-time timer for this key and window.
     *
     * @param time when
     */
    void registerEventTimeTimer(long time);

    /**
     * Deletes a processing-time timer.
     *
     * @param time when
     */
    void deleteProcessingTimeTimer(long time);

    /**
     * Deletes an event-time timer.
     *
     * @param time when
     */
    void deleteEventTimeTimer(long time);

    /**
     * Returns value state of this key and window.
     *
     * @param descriptor name and serde
     * @param <S> value type
     * @return the state
     */
    <S> ValueState<S> getValueState(ValueStateDescriptor<S> descriptor);

    /**
     * Returns reducing state of this key and window.
     *
     * @param descriptor name, function and serde
     * @param <S> value type
     * @return the state
     */
    <S> ReducingState<S> getReducingState(ReducingStateDescriptor<S> descriptor);

    /**
     * Returns list state of this key and window.
     *
     * @param descriptor name and serde
     * @param <S> element type
     * @return the state
     */
    <S> ListState<S> getListState(ListStateDescriptor<S> descriptor);
  }

  /** The context of {@link #onMerge}. */
  public interface OnMergeContext extends TriggerContext {
    /**
     * Merges the state of the windows that merged into the merged window's. Supported for reducing
     * and list state.
     *
     * @param descriptor the state to merge
     */
    void mergePartitionedState(StateDescriptor<?> descriptor);
  }
}
