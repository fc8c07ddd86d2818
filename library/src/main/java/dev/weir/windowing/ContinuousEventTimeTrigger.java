package dev.weir.windowing;

import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Fires every {@code interval} of event time while a window is open, and at its end: early results
 * for long windows.
 *
 * @param <W> window type
 */
public final class ContinuousEventTimeTrigger<W extends Window> extends Trigger<Object, W> {
  private static final long serialVersionUID = 1L;
  private final long interval;

  private ContinuousEventTimeTrigger(long interval) {
    if (interval <= 0) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.interval = interval;
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

  private static ReducingStateDescriptor<Long> descriptor() {
    return new ReducingStateDescriptor<>("fire-time", Math::min, Serdes.Long());
  }

  @Override
  public TriggerResult onElement(Object element, long timestamp, W window, TriggerContext ctx) {
    if (window.maxTimestamp() <= ctx.getCurrentWatermark()) {
      return TriggerResult.FIRE;
    }
    ctx.registerEventTimeTimer(window.maxTimestamp());
    ReducingState<Long> fireTime = ctx.getReducingState(descriptor());
    if (fireTime.get() == null) {
      long start = timestamp - Math.floorMod(timestamp, interval);
      register(start, window, ctx, fireTime);
    }
    return TriggerResult.CONTINUE;
  }

  private void register(long time, W window, TriggerContext ctx, ReducingState<Long> fireTime) {
    long next = Math.min(time + interval, window.maxTimestamp());
    fireTime.add(next);
    ctx.registerEventTimeTimer(next);
  }

  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) {
    if (time == window.maxTimestamp()) {
      return TriggerResult.FIRE;
    }
    ReducingState<Long> fireTime = ctx.getReducingState(descriptor());
    Long t = fireTime.get();
    if (t != null && t == time) {
      fireTime.clear();
      register(time, window, ctx, fireTime);
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public boolean canMerge() {
    return true;
  }

  @Override
  public void onMerge(W window, OnMergeContext ctx) {
    ctx.mergePartitionedState(descriptor());
    Long t = ctx.getReducingState(descriptor()).get();
    if (t != null) {
      ctx.registerEventTimeTimer(t);
    }
  }

  @Override
  public void clear(W window, TriggerContext ctx) {
    ReducingState<Long> fireTime = ctx.getReducingState(descriptor());
    Long t = fireTime.get();
    if (t != null) {
      ctx.deleteEventTimeTimer(t);
      fireTime.clear();
    }
  }

  @Override
  public String toString() {
    return "ContinuousEventTimeTrigger(" + interval + ")";
  }
}
