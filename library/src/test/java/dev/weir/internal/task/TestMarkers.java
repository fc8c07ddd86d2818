package dev.weir.internal.task;

import org.apache.kafka.common.header.Headers;

/**
 * Reads watermark markers for tests outside this package (the marker format is package-private).
 */
public final class TestMarkers {
  private TestMarkers() {}

  /**
   * Describes a written record when it is a watermark marker.
   *
   * @return {@code marker(task=<upstream partition>, wm=<watermark>)}, or null for a data record
   */
  public static String describe(byte[] key, Headers headers, byte[] value) {
    if (!MarkerFormat.isMarker(key, headers)) {
      return null;
    }
    MarkerFormat.Marker m = MarkerFormat.decode(value);
    return "marker(task=" + m.upstreamPartition() + ", wm=" + m.watermark() + ")";
  }
}
