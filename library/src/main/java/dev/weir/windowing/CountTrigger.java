package dev.weir.windowing;

import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Fires every {@code maxCount} records of a window (the count is trigger state, kept per key and
 * window). Wrap it in {@link PurgingTrigger} to start over after each firing.
 *
 * @param <W> window type
 */
public final class CountTrigger<W extends Window> extends Trigger<Object, W> {
  private static final long serialVersionUID = 1L;
  private final long maxCount;

  private CountTrigger(long maxCount) {
    if (maxCount < 1) {
      throw new IllegalArgumentException("CountTrigger needs a count of at least 1: " + maxCount);
    }
    this.maxCount = maxCount;
  }

  /**
   * Creates the trigger.
   *
   * @param maxCount records per firing
   * @param <T> record type
   * @param <W> window type
   * @return the trigger
   */
  @SuppressWarnings("unchecked")
  public static <T, W extends Window> Trigger<T, W> of(long maxCount) {
    return (Trigger<T, W>) (Trigger<?, ?>) new CountTrigger<W>(maxCount);
  }

  private static ReducingStateDescriptor<Long> descriptor() {
    return new ReducingStateDescriptor<>("count", Long::sum, Serdes.Long());
  }

  @Override
  public TriggerResult onElement(Object element, long timestamp, W window, TriggerContext ctx) {
    ReducingState<Long> count = ctx.getReducingState(descriptor());
    count.add(1L);
    if (count.get() >= maxCount) {
      count.clear();
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, W window, TriggerContext ctx) {
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
  }

  @Override
  public void clear(W window, TriggerContext ctx) {
    ctx.getReducingState(descriptor()).clear();
  }

  @Override
  public String toString() {
    return "CountTrigger(" + maxCount + ")";
  }
}
