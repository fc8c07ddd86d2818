package dev.weir.windowing;

import java.io.Serializable;

/**
 * Removes records from a window before and/or after the window function runs. Only with full window
 * functions ({@code process}, {@code apply}): an evictor needs the records, so combining it with
 * {@code reduce} or {@code aggregate} is rejected when the pipeline is built.
 *
 * @param <T> record type
 * @param <W> window type
 */
public interface Evictor<T, W extends Window> extends Serializable {
  /**
   * Called before the window function; remove records with the iterator's {@code remove()}.
   *
   * @param elements the window's records in arrival order
   * @param size how many there are
   * @param window the window
   * @param ctx the clocks
   */
  void evictBefore(Iterable<TimestampedValue<T>> elements, int size, W window, EvictorContext ctx);

  /**
   * Called after the window function.
   *
   * @param elements the window's records in arrival order
   * @param size how many there are
   * @param window the window
   * @param ctx the clocks
   */
  void evictAfter(Iterable<TimestampedValue<T>> elements, int size, W window, EvictorContext ctx);

  /** The clocks an evictor may consult. Implemented by the library. */
  interface EvictorContext {
    /**
     * Returns the processing-time clock.
     *
     * @return milliseconds since the epoch
     */
    long getCurrentProcessingTime();

    /**
     * Returns the task's watermark.
     *
     * @return the watermark
     */
    long getCurrentWatermark();
  }
}
