package dev.weir.windowing;

import dev.weir.state.ReducingState;
import dev.weir.state.ReducingStateDescriptor;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What the continuous triggers share: the next firing time kept as trigger state (the minimum, so
 * merged windows keep the earliest), a timer for it in the subclass's time domain, and merging and
 * clearing of both.
 *
 * @param <W> window type
 */
abstract class ContinuousTrigger<W extends Window> extends Trigger<Object, W> {
  private static final long serialVersionUID = 1L;
  final long interval;

  ContinuousTrigger(long interval) {
    if (interval <= 0) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.interval = interval;
  }

  /** Registers a timer at {@code time} in the trigger's time domain. */
  abstract void registerTimer(TriggerContext ctx, long time);

  /** Deletes the timer at {@code time} in the trigger's time domain. */
  abstract void deleteTimer(TriggerContext ctx, long time);

  static ReducingStateDescriptor<Long> descriptor() {
    return new ReducingStateDescriptor<>("fire-time", Math::min, Serdes.Long());
  }

  static ReducingState<Long> fireTime(TriggerContext ctx) {
    return ctx.getReducingState(descriptor());
  }

  /** Records {@code time} as the next firing and sets its timer. */
  void scheduleAt(long time, TriggerContext ctx) {
    fireTime(ctx).add(time);
    registerTimer(ctx, time);
  }

  /** Whether a timer at {@code time} is the scheduled firing; if so, forgets it. */
  static boolean isScheduledFiring(long time, TriggerContext ctx) {
    ReducingState<Long> state = fireTime(ctx);
    Long t = state.get();
    if (t != null && t == time) {
      state.clear();
      return true;
    }
    return false;
  }

  @Override
  public final boolean canMerge() {
    return true;
  }

  @Override
  public final void onMerge(W window, OnMergeContext ctx) {
    ctx.mergePartitionedState(descriptor());
    Long t = fireTime(ctx).get();
    if (t != null) {
      registerTimer(ctx, t);
    }
  }

  @Override
  public final void clear(W window, TriggerContext ctx) {
    ReducingState<Long> state = fireTime(ctx);
    Long t = state.get();
    if (t != null) {
      deleteTimer(ctx, t);
      state.clear();
    }
  }
}
