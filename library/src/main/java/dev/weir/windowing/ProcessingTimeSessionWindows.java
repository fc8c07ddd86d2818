package dev.weir.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Session windows in processing time.
 *
 * @param <T> record type
 */
public final class ProcessingTimeSessionWindows<T> extends EventTimeSessionWindows<T> {
  private static final long serialVersionUID = 1L;

  private ProcessingTimeSessionWindows(SessionWindowTimeGapExtractor<T> gap) {
    super(gap);
  }

  /**
   * Sessions with a fixed gap.
   *
   * @param gap the inactivity that closes a session
   * @param <T> record type
   * @return the assigner
   */
  public static <T> ProcessingTimeSessionWindows<T> withGap(Duration gap) {
    long g = gap.toMillis();
    if (g <= 0) {
      throw new IllegalArgumentException("Session gap must be positive: " + gap);
    }
    return new ProcessingTimeSessionWindows<>(e -> g);
  }

  /**
   * Sessions whose gap each record decides.
   *
   * @param extractor the gap of a record
   * @param <T> record type
   * @return the assigner
   */
  public static <T> ProcessingTimeSessionWindows<T> withDynamicGap(
      SessionWindowTimeGapExtractor<T> extractor) {
    return new ProcessingTimeSessionWindows<>(extractor);
  }

  @Override
  public Collection<TimeWindow> assignWindows(T element, long timestamp, long now) {
    return List.of(new TimeWindow(now, now + gapOf(element)));
  }

  @Override
  public Trigger<T, TimeWindow> getDefaultTrigger() {
    return ProcessingTimeTrigger.create();
  }

  @Override
  public boolean isEventTime() {
    return false;
  }

  @Override
  public String toString() {
    return "ProcessingTimeSessionWindows";
  }
}
