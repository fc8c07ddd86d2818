package dev.weir.windowing;

import java.io.Serializable;
import java.util.Collection;
import org.apache.kafka.common.serialization.Serde;

/**
 * Assigns each record to zero or more windows. Implement it for custom windows; extend {@link
 * MergingWindowAssigner} for windows that merge, like sessions.
 *
 * @param <T> record type
 * @param <W> window type
 */
public abstract class WindowAssigner<T, W extends Window> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** For subclasses. */
  protected WindowAssigner() {}

  /**
   * Returns the windows of a record.
   *
   * @param element the record
   * @param timestamp its event timestamp
   * @param currentProcessingTime the processing-time clock (for processing-time windows)
   * @return the windows; may be empty
   */
  public abstract Collection<W> assignWindows(
      T element, long timestamp, long currentProcessingTime);

  /**
   * Returns the trigger used unless {@code WindowedStream.trigger(...)} replaces it.
   *
   * @return the default trigger
   */
  public abstract Trigger<T, W> getDefaultTrigger();

  /**
   * Returns how windows are stored (they are part of state keys and timers).
   *
   * @return the serde; its bytes must sort like the windows' start times for ordered scans
   */
  public abstract Serde<W> windowSerde();

  /**
   * Returns whether windows follow event time (cleanup and lateness use the watermark) or
   * processing time.
   *
   * @return true for event time
   */
  public abstract boolean isEventTime();
}
