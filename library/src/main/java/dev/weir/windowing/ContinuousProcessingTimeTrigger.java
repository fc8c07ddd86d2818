package dev.weir.windowing;

import java.time.Duration;

/**
 * Fires every {@code interval} of processing time while a window has records.
 *
 * @param <W> window type
 */
public final class ContinuousProcessingTimeTrigger<W extends Window> extends ContinuousTrigger<W> {
  private static final long serialVersionUID = 1L;

  private ContinuousProcessingTimeTrigger(long interval) {
    super(interval);
  }

  /**
   * Creates the trigger.
   *
   * @param interval processing time between firings
   * @param <T> record type
   * @param <W> window type
   * @return the trigger
   */
  @SuppressWarnings("unchecked")
  public static <T, W extends Window> Trigger<T, W> of(Duration interval) {
    return (Trigger<T, W>)
        (Trigger<?, ?>) new ContinuousProcessingTimeTrigger<W>(interval.toMillis());
  }

  @Override
  void registerTimer(TriggerContext ctx, long time) {
    ctx.registerProcessingTimeTimer(time);
  }

  @Override
  void deleteTimer(TriggerContext ctx, long time) {
    ctx.deleteProcessingTimeTimer(time);
  }

  @Override
  public TriggerResult onElement(Object element, long timestamp, W window, TriggerContext ctx) {
    if (fireTime(ctx).get() == null) {
      long now = ctx.getCurrentProcessingTime();
      scheduleAt(now - Math.floorMod(now, interval) + interval, ctx);
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) {
    if (isScheduledFiring(time, ctx)) {
      scheduleAt(time + interval, ctx);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public String toString() {
    return "ContinuousProcessingTimeTrigger(" + interval + ")";
  }
}
