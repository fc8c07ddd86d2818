package dev.weir.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/** Fixed-size, non-overlapping windows of processing time. */
public final class TumblingProcessingTimeWindows extends TumblingEventTimeWindows {
  private static final long serialVersionUID = 1L;

  private TumblingProcessingTimeWindows(long size, long offset) {
    super(size, offset);
  }

  /**
   * Windows of {@code size}, aligned to the epoch.
   *
   * @param size the window size
   * @return the assigner
   */
  public static TumblingProcessingTimeWindows of(Duration size) {
    return new TumblingProcessingTimeWindows(size.toMillis(), 0);
  }

  /**
   * Windows of {@code size} shifted by {@code offset}.
   *
   * @param size the window size
   * @param offset the shift
   * @return the assigner
   */
  public static TumblingProcessingTimeWindows of(Duration size, Duration offset) {
    return new TumblingProcessingTimeWindows(size.toMillis(), offset.toMillis());
  }

  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, long now) {
    long start = TimeWindow.getWindowStartWithOffset(now, offset, size);
    return List.of(new TimeWindow(start, start + size));
  }

  @Override
  public Trigger<Object, TimeWindow> getDefaultTrigger() {
    return ProcessingTimeTrigger.create();
  }

  @Override
  public Serde<TimeWindow> windowSerde() {
    return TimeWindow.serde();
  }

  @Override
  public boolean isEventTime() {
    return false;
  }

  @Override
  public String toString() {
    return "TumblingProcessingTimeWindows(" + size + ")";
  }
}
