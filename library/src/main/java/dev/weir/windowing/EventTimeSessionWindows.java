package dev.weir.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * Session windows in event time: a record opens {@code [timestamp, timestamp + gap)}, and windows
 * of a key that overlap or touch merge. The gap is static or extracted per record.
 *
 * @param <T> record type
 */
public class EventTimeSessionWindows<T> extends MergingWindowAssigner<T, TimeWindow> {
  private static final long serialVersionUID = 1L;
  private final SessionWindowTimeGapExtractor<T> gap;

  EventTimeSessionWindows(SessionWindowTimeGapExtractor<T> gap) {
    this.gap = gap;
  }

  /**
   * Sessions with a fixed gap.
   *
   * @param gap the inactivity that closes a session; positive
   * @param <T> record type
   * @return the assigner
   */
  public static <T> EventTimeSessionWindows<T> withGap(Duration gap) {
    long g = gap.toMillis();
    if (g <= 0) {
      throw new IllegalArgumentException("Session gap must be positive: " + gap);
    }
    return new EventTimeSessionWindows<>(e -> g);
  }

  /**
   * Sessions whose gap each record decides.
   *
   * @param extractor the gap of a record
   * @param <T> record type
   * @return the assigner
   */
  public static <T> EventTimeSessionWindows<T> withDynamicGap(
      SessionWindowTimeGapExtractor<T> extractor) {
    return new EventTimeSessionWindows<>(extractor);
  }

  long gapOf(T element) {
    long g = gap.extract(element);
    if (g <= 0) {
      throw new IllegalArgumentException("Session gap must be positive, got " + g);
    }
    return g;
  }

  @Override
  public Collection<TimeWindow> assignWindows(T element, long timestamp, long now) {
    return List.of(new TimeWindow(timestamp, timestamp + gapOf(element)));
  }

  @Override
  public void mergeWindows(Collection<TimeWindow> windows, MergeCallback<TimeWindow> callback) {
    TimeWindow.mergeWindows(windows, callback);
  }

  @Override
  public Trigger<T, TimeWindow> getDefaultTrigger() {
    return EventTimeTrigger.create();
  }

  @Override
  public Serde<TimeWindow> windowSerde() {
    return TimeWindow.serde();
  }

  @Override
  public boolean isEventTime() {
    return true;
  }

  @Override
  public String toString() {
    return "EventTimeSessionWindows";
  }
}
