package dev.weir.windowing;

import java.time.Duration;
import java.util.Iterator;

/**
 * Keeps the records whose timestamp is within {@code windowSize} of the newest record's.
 *
 * @param <W> window type
 */
public final class TimeEvictor<W extends Window> implements Evictor<Object, W> {
  private static final long serialVersionUID = 1L;
  private final long windowSize;
  private final boolean after;

  private TimeEvictor(long windowSize, boolean after) {
    this.windowSize = windowSize;
    this.after = after;
  }

  /**
   * Evicts before the function.
   *
   * @param windowSize how far behind the newest record a record may be
   * @param <T> record type
   * @param <W> window type
   * @return the evictor
   */
  public static <T, W extends Window> Evictor<T, W> of(Duration windowSize) {
    return of(windowSize, false);
  }

  /**
   * Evicts before or after the function.
   *
   * @param windowSize how far behind the newest record a record may be
   * @param doEvictAfter true to evict after the function runs
   * @param <T> record type
   * @param <W> window type
   * @return the evictor
   */
  @SuppressWarnings("unchecked")
  public static <T, W extends Window> Evictor<T, W> of(Duration windowSize, boolean doEvictAfter) {
    return (Evictor<T, W>) (Evictor<?, ?>) new TimeEvictor<W>(windowSize.toMillis(), doEvictAfter);
  }

  private void evict(Iterable<TimestampedValue<Object>> elements) {
    long newest = Long.MIN_VALUE;
    for (TimestampedValue<Object> e : elements) {
      newest = Math.max(newest, e.timestamp());
    }
    long cut = newest - windowSize;
    for (Iterator<TimestampedValue<Object>> it = elements.iterator(); it.hasNext(); ) {
      if (it.next().timestamp() <= cut) {
        it.remove();
      }
    }
  }

  @Override
  public void evictBefore(
      Iterable<TimestampedValue<Object>> elements, int size, W window, EvictorContext ctx) {
    if (!after) {
      evict(elements);
    }
  }

  @Override
  public void evictAfter(
      Iterable<TimestampedValue<Object>> elements, int size, W window, EvictorContext ctx) {
    if (after) {
      evict(elements);
    }
  }
}
