package dev.weir.windowing;

import java.util.Iterator;

/**
 * Removes the records whose distance to the newest record is at least {@code threshold}.
 *
 * @param <T> record type
 * @param <W> window type
 */
public final class DeltaEvictor<T, W extends Window> implements Evictor<T, W> {
  private static final long serialVersionUID = 1L;
  private final double threshold;
  private final DeltaFunction<T> delta;
  private final boolean after;

  private DeltaEvictor(double threshold, DeltaFunction<T> delta, boolean after) {
    this.threshold = threshold;
    this.delta = delta;
    this.after = after;
  }

  /**
   * Evicts before the function.
   *
   * @param threshold the distance from which records are removed
   * @param delta the distance function
   * @param <T> record type
   * @param <W> window type
   * @return the evictor
   */
  public static <T, W extends Window> DeltaEvictor<T, W> of(
      double threshold, DeltaFunction<T> delta) {
    return new DeltaEvictor<>(threshold, delta, false);
  }

  /**
   * Evicts before or after the function.
   *
   * @param threshold the distance from which records are removed
   * @param delta the distance function
   * @param doEvictAfter true to evict after the function runs
   * @param <T> record type
   * @param <W> window type
   * @return the evictor
   */
  public static <T, W extends Window> DeltaEvictor<T, W> of(
      double threshold, DeltaFunction<T> delta, boolean doEvictAfter) {
    return new DeltaEvictor<>(threshold, delta, doEvictAfter);
  }

  private void evict(Iterable<TimestampedValue<T>> elements) {
    TimestampedValue<T> last = null;
    for (TimestampedValue<T> e : elements) {
      last = e;
    }
    if (last == null) {
      return;
    }
    for (Iterator<TimestampedValue<T>> it = elements.iterator(); it.hasNext(); ) {
      if (delta.getDelta(it.next().value(), last.value()) >= threshold) {
        it.remove();
      }
    }
  }

  @Override
  public void evictBefore(
      Iterable<TimestampedValue<T>> elements, int size, W window, EvictorContext ctx) {
    if (!after) {
      evict(elements);
    }
  }

  @Override
  public void evictAfter(
      Iterable<TimestampedValue<T>> elements, int size, W window, EvictorContext ctx) {
    if (after) {
      evict(elements);
    }
  }
}
