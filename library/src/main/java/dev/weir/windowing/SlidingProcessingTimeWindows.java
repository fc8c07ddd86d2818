package dev.weir.windowing;

import java.time.Duration;
import java.util.Collection;

/** Sliding windows of processing time. */
public final class SlidingProcessingTimeWindows extends SlidingEventTimeWindows {
  private static final long serialVersionUID = 1L;

  private SlidingProcessingTimeWindows(long size, long slide, long offset) {
    super(size, slide, offset);
  }

  /**
   * Sliding windows aligned to the epoch.
   *
   * @param size the window size
   * @param slide the distance between window starts
   * @return the assigner
   */
  public static SlidingProcessingTimeWindows of(Duration size, Duration slide) {
    return new SlidingProcessingTimeWindows(size.toMillis(), slide.toMillis(), 0);
  }

  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, long now) {
    return windowsOf(now);
  }

  @Override
  public Trigger<Object, TimeWindow> getDefaultTrigger() {
    return ProcessingTimeTrigger.create();
  }

  @Override
  public boolean isEventTime() {
    return false;
  }

  @Override
  public String toString() {
    return "SlidingProcessingTimeWindows(" + size + ", " + slide + ")";
  }
}
