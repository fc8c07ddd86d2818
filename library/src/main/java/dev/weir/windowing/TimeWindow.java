package dev.weir.windowing;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** A time interval {@code [start, end)}. */
public final class TimeWindow extends Window {
  private final long start;
  private final long end;

  /**
   * Creates a window.
   *
   * @param start the first timestamp in the window
   * @param end the first timestamp after it
   */
  public TimeWindow(long start, long end) {
    this.start = start;
    this.end = end;
  }

  /**
   * Returns the start.
   *
   * @return the first timestamp in the window
   */
  public long getStart() {
    return start;
  }

  /**
   * Returns the end.
   *
   * @return the first timestamp after the window
   */
  public long getEnd() {
    return end;
  }

  @Override
  public long maxTimestamp() {
    return end - 1;
  }

  /**
   * Returns whether this window and {@code other} overlap or touch.
   *
   * @param other another window
   * @return true when they can be merged into one session
   */
  public boolean intersects(TimeWindow other) {
    return start <= other.end && end >= other.start;
  }

  /**
   * Returns the smallest window covering both.
   *
   * @param other another window
   * @return the cover
   */
  public TimeWindow cover(TimeWindow other) {
    return new TimeWindow(Math.min(start, other.start), Math.max(end, other.end));
  }

  /**
   * The start of the window of size {@code windowSize} (with {@code offset}) that contains {@code
   * timestamp}; correct for negative timestamps too.
   *
   * @param timestamp the timestamp
   * @param offset the windows' offset from the epoch
   * @param windowSize the size (or slide)
   * @return the start
   */
  public static long getWindowStartWithOffset(long timestamp, long offset, long windowSize) {
    long remainder = (timestamp - offset) % windowSize;
    return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder;
  }

  /**
   * Merges overlapping windows of {@code windows} (session semantics), reporting each merge.
   *
   * @param windows the windows of one key
   * @param callback receives each group of two or more windows and their cover
   */
  public static void mergeWindows(
      Collection<TimeWindow> windows, MergingWindowAssigner.MergeCallback<TimeWindow> callback) {
    List<TimeWindow> sorted =
        windows.stream().sorted((a, b) -> Long.compare(a.start, b.start)).toList();
    java.util.List<TimeWindow> group = new java.util.ArrayList<>();
    TimeWindow cover = null;
    for (TimeWindow w : sorted) {
      if (cover == null) {
        cover = w;
        group.add(w);
      } else if (cover.intersects(w)) {
        cover = cover.cover(w);
        group.add(w);
      } else {
        if (group.size() > 1) {
          callback.merge(List.copyOf(group), cover);
        }
        group.clear();
        group.add(w);
        cover = w;
      }
    }
    if (group.size() > 1) {
      callback.merge(List.copyOf(group), cover);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeWindow w && w.start == start && w.end == end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(start, end);
  }

  @Override
  public String toString() {
    return "TimeWindow{start=" + start + ", end=" + end + "}";
  }

  /**
   * The serde Weir stores time windows with: start and end as big-endian longs with the sign bit
   * flipped, so windows sort by start.
   *
   * @return the serde
   */
  public static Serde<TimeWindow> serde() {
    return SERDE;
  }

  private static final Serde<TimeWindow> SERDE =
      Serdes.serdeFrom(
          (Serializer<TimeWindow>)
              (topic, w) ->
                  ByteBuffer.allocate(16)
                      .putLong(w.start ^ Long.MIN_VALUE)
                      .putLong(w.end ^ Long.MIN_VALUE)
                      .array(),
          (Deserializer<TimeWindow>)
              (topic, b) -> {
                ByteBuffer buf = ByteBuffer.wrap(b);
                return new TimeWindow(
                    buf.getLong() ^ Long.MIN_VALUE, buf.getLong() ^ Long.MIN_VALUE);
              });
}
