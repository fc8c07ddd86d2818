package dev.weir.windowing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;

/**
 * Windows of {@code size} starting every {@code slide}: a record belongs to {@code size / slide}
 * windows.
 */
public class SlidingEventTimeWindows extends WindowAssigner<Object, TimeWindow> {
  private static final long serialVersionUID = 1L;
  final long size;
  final long slide;
  final long offset;

  SlidingEventTimeWindows(long size, long slide, long offset) {
    if (size <= 0 || slide <= 0 || Math.abs(offset) >= slide) {
      throw new IllegalArgumentException(
          "Sliding windows need size > 0, slide > 0 and |offset| < slide; got size "
              + size
              + ", slide "
              + slide
              + ", offset "
              + offset);
    }
    this.size = size;
    this.slide = slide;
    this.offset = offset;
  }

  /**
   * Sliding windows aligned to the epoch.
   *
   * @param size the window size
   * @param slide the distance between window starts
   * @return the assigner
   */
  public static SlidingEventTimeWindows of(Duration size, Duration slide) {
    return new SlidingEventTimeWindows(size.toMillis(), slide.toMillis(), 0);
  }

  /**
   * Sliding windows shifted by {@code offset}.
   *
   * @param size the window size
   * @param slide the distance between window starts
   * @param offset the shift
   * @return the assigner
   */
  public static SlidingEventTimeWindows of(Duration size, Duration slide, Duration offset) {
    return new SlidingEventTimeWindows(size.toMillis(), slide.toMillis(), offset.toMillis());
  }

  List<TimeWindow> windowsOf(long time) {
    List<TimeWindow> out = new ArrayList<>((int) (size / slide) + 1);
    long last = TimeWindow.getWindowStartWithOffset(time, offset, slide);
    for (long start = last; start > time - size; start -= slide) {
      out.add(new TimeWindow(start, start + size));
    }
    return out;
  }

  @Override
  public Collection<TimeWindow> assignWindows(Object element, long timestamp, long now) {
    return windowsOf(timestamp);
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
    return "SlidingEventTimeWindows(" + size + ", " + slide + ")";
  }
}
