package dev.weir.windowing;

import java.util.Iterator;

/**
 * Keeps at most {@code maxCount} records, the most recent ones.
 *
 * @param <W> window type
 */
public final class CountEvictor<W extends Window> implements Evictor<Object, W> {
  private static final long serialVersionUID = 1L;
  private final long maxCount;
  private final boolean after;

  private CountEvictor(long maxCount, boolean after) {
    this.maxCount = maxCount;
    this.after = after;
  }

  /**
   * Evicts before the function.
   *
   * @param maxCount records kept
   * @param <T> record type
   * @param <W> window type
   * @return the evictor
   */
  public static <T, W extends Window> Evictor<T, W> of(long maxCount) {
    return of(maxCount, false);
  }

  /**
   * Evicts before or after the function.
   *
   * @param maxCount records kept
   * @param doEvictAfter true to evict after the function runs
   * @param <T> record type
   * @param <W> window type
   * @return the evictor
   */
  @SuppressWarnings("unchecked")
  public static <T, W extends Window> Evictor<T, W> of(long maxCount, boolean doEvictAfter) {
    return (Evictor<T, W>) (Evictor<?, ?>) new CountEvictor<W>(maxCount, doEvictAfter);
  }

  private void evict(Iterable<TimestampedValue<Object>> elements, int size) {
    long toEvict = size - maxCount;
    Iterator<TimestampedValue<Object>> it = elements.iterator();
    for (long i = 0; i < toEvict && it.hasNext(); i++) {
      it.next();
      it.remove();
    }
  }

  @Override
  public void evictBefore(
      Iterable<TimestampedValue<Object>> elements, int size, W window, EvictorContext ctx) {
    if (!after) {
      evict(elements, size);
    }
  }

  @Override
  public void evictAfter(
      Iterable<TimestampedValue<Object>> elements, int size, W window, EvictorContext ctx) {
    if (after) {
      evict(elements, size);
    }
  }
}
