package dev.weir.windowing;

import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Fires every {@code interval} of processing time while a window has records.
 *
 * @param <W> window type
 */
public final class ContinuousProcessingTimeTrigger<W extends Window> extends Trigger<Object, W> {
  private static final long serialVersionUID = 1L;
  private final long interval;

  private ContinuousProcessingTimeTrigger(long interval) {
    if (interval <= 0) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.interval = interval;
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

  private static ReducingStateDescriptor<Long> descriptor() {
    return new ReducingStateDescriptor<>("fire-time", Math::min, Serdes.Long());
  }

  @Override
  public TriggerResult onElement(Object element, long timestamp, W window, TriggerContext ctx) {
    ReducingState<Long> fireTime = ctx.getReducingState(descriptor());
    if (fireTime.get() == null) {
      long now = ctx.getCurrentProcessingTime();
      long next = now - Math.floorMod(now, interval) + interval;
      fireTime.add(next);
      ctx.registerProcessingTimeTimer(next);
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, W window, TriggerContext ctx) {
    ReducingState<Long> fireTime = ctx.getReducingState(descriptor());
    Long t = fireTime.get();
    if (t != null && t == time) {
      fireTime.clear();
      fireTime.add(time + interval);
      ctx.registerProcessingTimeTimer(time + interval);
      return TriggerResult.FIRE;
    }
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
      ctx.registerProcessingTimeTimer(t);
    }
  }

  @Override
  public void clear(W window, TriggerContext ctx) {
    ReducingState<Long> fireTime = ctx.getReducingState(descriptor());
    Long t = fireTime.get();
    if (t != null) {
      ctx.deleteProcessingTimeTimer(t);
      fireTime.clear();
    }
  }

  @Override
  public String toString() {
    return "ContinuousProcessingTimeTrigger(" + interval + ")";
  }
}
