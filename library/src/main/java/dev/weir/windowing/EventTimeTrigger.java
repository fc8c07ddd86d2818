package dev.weir.windowing;

/**
 * Fires once when the watermark passes the window's end, and again for every late record admitted
 * by allowed lateness. The default trigger of event-time windows.
 */
public final class EventTimeTrigger extends Trigger<Object, Window> {
  private static final long serialVersionUID = 1L;

  private EventTimeTrigger() {}

  /**
   * Returns the trigger.
   *
   * @param <T> record type
   * @param <W> window type
   * @return the trigger
   */
  @SuppressWarnings("unchecked")
  public static <T, W extends Window> Trigger<T, W> create() {
    return (Trigger<T, W>) (Trigger<?, ?>) new EventTimeTrigger();
  }

  @Override
  public TriggerResult onElement(
      Object element, long timestamp, Window window, TriggerContext ctx) {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
      return TriggerResult.FIRE; // a late record within allowed lateness: fire the update
    }
    ctx.registerEventTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, Window window, TriggerContext ctx) {
    return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, Window window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public boolean canMerge() {
    return true;
  }

  @Override
  public void onMerge(Window window, OnMergeContext ctx) {
    if (window.maxTimestamp() > ctx.getCurrentWatermark()) {
      ctx.registerEventTimeTimer(window.maxTimestamp());
    }
  }

  @Override
  public void clear(Window window, TriggerContext ctx) {
    ctx.deleteEventTimeTimer(window.maxTimestamp());
  }

  @Override
  public String toString() {
    return "EventTimeTrigger";
  }
}
