package dev.weir.internal.task;

import java.nio.ByteBuffer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Watermark markers in repartition topics, and the event-time state kept in offset metadata.
 *
 * <p><b>Marker</b>: a record with a null key, the header {@value #HEADER} and the value {@code
 * [version 0x01][upstream partition int32][watermark int64][idle byte]}. Every upstream task sends
 * one to every partition of every repartition topic it writes, in the same transaction as its data,
 * whenever its watermark advances or its idleness changes. Markers never reach user code.
 *
 * <p><b>Offset metadata</b> (committed with the offsets, in the transaction): for a source
 * partition {@code w1:s:<watermark>:<idle 0|1>}; for a repartition partition {@code
 * w1:u:<watermark>/<idle>,...} with one entry per upstream task. When the task's watermark or its
 * input's is above what these channels alone restore (a channel that was idle became active again
 * behind it), version 2 carries both in front: {@code w2:<task watermark>:<input watermark>:}
 * followed by the version 1 text without its {@code w1:}. Version 1 is still written whenever it
 * suffices, so an older instance reads what a newer one wrote in every other case.
 */
final class MarkerFormat {
  /** The header that marks a watermark marker. */
  public static final String HEADER = "weir.wm";

  static final byte VERSION_1 = 0x01;
  private static final byte[] HEADER_VALUE = {VERSION_1};

  private MarkerFormat() {}

  /** A decoded marker. */
  public record Marker(int upstreamPartition, long watermark, boolean idle) {}

  public static byte[] encode(int upstreamPartition, long watermark, boolean idle) {
    return ByteBuffer.allocate(14)
        .put(VERSION_1)
        .putInt(upstreamPartition)
        .putLong(watermark)
        .put((byte) (idle ? 1 : 0))
        .array();
  }

  public static Headers headers() {
    return new RecordHeaders(new Header[] {new RecordHeader(HEADER, HEADER_VALUE)});
  }

  /** Whether a repartition record is a marker. */
  public static boolean isMarker(byte[] key, Headers headers) {
    return key == null && headers != null && headers.lastHeader(HEADER) != null;
  }

  public static Marker decode(byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value);
    byte v = b.get();
    if (v != VERSION_1) {
      throw new IllegalStateException(
          "Watermark marker in unknown format "
              + v
              + ": an upstream instance runs a newer Weir; roll all instances to one version");
    }
    return new Marker(b.getInt(), b.getLong(), b.get() == 1);
  }

  /** Adds the task's and the input's watermark to version 1 state: version 2. */
  static String withFloor(String v1, long taskWatermark, long inputWatermark) {
    return "w2:" + taskWatermark + ":" + inputWatermark + ":" + v1.substring(3);
  }

  /**
   * Returns {task watermark, input watermark} of version 2 metadata, null for any other.
   *
   * @throws IllegalStateException for event-time state in a version this Weir does not know
   */
  static long[] decodeFloor(String metadata) {
    if (!metadata.startsWith("w2:")) {
      checkKnownVersion(metadata);
      return null;
    }
    int a = metadata.indexOf(':', 3);
    int b = metadata.indexOf(':', a + 1);
    return new long[] {
      Long.parseLong(metadata.substring(3, a)), Long.parseLong(metadata.substring(a + 1, b))
    };
  }

  /** The version 1 text of version 1 or 2 metadata (other metadata is returned unchanged). */
  static String withoutFloor(String metadata) {
    if (!metadata.startsWith("w2:")) {
      return metadata;
    }
    int a = metadata.indexOf(':', 3);
    int b = metadata.indexOf(':', a + 1);
    return "w1:" + metadata.substring(b + 1);
  }

  /** Metadata written by a newer Weir must not be skipped: its watermarks would go back. */
  private static void checkKnownVersion(String metadata) {
    int colon = metadata.indexOf(':');
    if (colon > 1
        && metadata.charAt(0) == 'w'
        && metadata.substring(1, colon).chars().allMatch(Character::isDigit)
        && !metadata.startsWith("w1:")) {
      throw new IllegalStateException(
          "Committed event-time state in unknown format '"
              + metadata.substring(0, colon)
              + "': an instance of a newer Weir committed these offsets; roll all instances to one"
              + " version");
    }
  }

  static String encodeSourceState(long watermark, boolean idle) {
    return "w1:s:" + watermark + ":" + (idle ? 1 : 0);
  }

  /** Returns {watermark, idle} or null when the metadata is not Weir's. */
  static long[] decodeSourceState(String metadata) {
    if (!metadata.startsWith("w1:s:")) {
      return null;
    }
    String[] p = metadata.substring(5).split(":");
    return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
  }

  static String encodeUpstreamState(long[] watermarks, boolean[] idle) {
    StringBuilder sb = new StringBuilder("w1:u:");
    for (int i = 0; i < watermarks.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(watermarks[i]).append('/').append(idle[i] ? 1 : 0);
    }
    return sb.toString();
  }

  static void decodeUpstreamState(String metadata, long[] watermarks, boolean[] idle) {
    if (!metadata.startsWith("w1:u:")) {
      return;
    }
    String[] entries = metadata.substring(5).split(",");
    for (int i = 0; i < entries.length && i < watermarks.length; i++) {
      String[] p = entries[i].split("/");
      watermarks[i] = Math.max(watermarks[i], Long.parseLong(p[0]));
      idle[i] = p[1].equals("1");
    }
  }
}
