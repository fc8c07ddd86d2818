package dev.weir.windowing;

import java.time.Duration;

/**
 * Fires every {@code interval} of event time while a window is open, and at its end: early results
 * for long windows.
 *
 * @param <W> window type
 */
public final class ContinuousEventTimeTrigger<W extends Window> extends ContinuousTrigger<W> {
  private static final long serialVersionUID = 1L;

  private ContinuousEventTimeTrigger(long interval) {
    super(interval);
  }

  /**
   * Creates the trigger.
   *
   * @param interval event time between firings
   * @param <T> record type
   * @param <W> window type
   * @return the trigger
   */
  @SuppressWarnings("unchecked")
  public static <T, W extends Window> Trigger<T, W> of(Duration interval) {
    return (Trigger<T, W>) (Trigger<?, ?>) new ContinuousEventTimeTrigger<W>(interval.toMillis());
  }

  @Override
  void registerTimer(TriggerContext ctx, long time) {
    ctx.registerEventTimeTimer(time);
  }

  @Override
  void deleteTimer(TriggerContext ctx, long time) {
    ctx.deleteEventTimeTimer(time);
  }

  @Override
  public TriggerResult onElement(Object element, long timestamp, W window, TriggerContext ctx) {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
      return TriggerResult.FIRE;
    }
    ctx.registerEventTimeTimer(window.maxTimestamp());
    if (fireTime(ctx).get() == null) {
      long start = timestamp - Math.floorMod(timestamp, interval);
      scheduleAt(Math.min(start + interval, window.maxTimestamp()), ctx);
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) {
    if (time == window.maxTimestamp()) {
      return TriggerResult.FIRE;
    }
    if (isScheduledFiring(time, ctx)) {
      scheduleAt(Math.min(time + interval, window.maxTimestamp()), ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public String toString() {
    return "ContinuousEventTimeTrigger(" + interval + ")";
  }
}
