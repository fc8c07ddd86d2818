package dev.weir.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/** Fixed-size, non-overlapping event-time windows {@code [start, start + size)}. */
public class TumblingEventTimeWindows extends WindowAssigner<Object, TimeWindow> {
  private static final long serialVersionUID = 1L;
  final long size;
  final long offset;

  TumblingEventTimeWindows(long size, long offset) {
    if (size <= 0 || Math.abs(offset) >= size) {
      throw new IllegalArgumentException(
          "Tumbling windows need size > 0 and |offset| < size; got size "
              + size
              + ", offset "
              + offset);
    }
    this.size = size;
    this.offset = offset;
  }

  /**
   * Windows of {@code size}, aligned to the epoch.
   *
   * @param size the window size
   * @return the assigner
   */
  public static TumblingEventTimeWindows of(Duration size) {
    return new TumblingEventTimeWindows(size.toMillis(), 0);
  }

  /**
   * Windows of {@code size} shifted by {@code offset} (for example -8 h for days in UTC+8).
   *
   * @param size the window size
   * @param offset the shift
   * @return the assigner
   */
  public static TumblingEventTimeWindows of(Duration size, Duration offset) {
    return new TumblingEventTimeWindows(size.toMillis(), offset.toMillis());
  }

  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, long now) {
    long start = TimeWindow.getWindowStartWithOffset(timestamp, offset, size);
    return List.of(new TimeWindow(start, start + size));
  }

  @Override
  public Trigger<Object, TimeWindow> getDefaultTrigger() {
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
    return "TumblingEventTimeWindows(" + size + ")";
  }
}
