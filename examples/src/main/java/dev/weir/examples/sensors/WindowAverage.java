package dev.weir.examples.sensors;

import dev.weir.examples.TextSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * The average temperature of one sensor in one event-time window {@code [start, end)}. On a topic
 * it is the text {@code sensor,start,end,readings,average}.
 *
 * @param sensor the sensor's id
 * @param start the window's start, epoch milliseconds, inclusive
 * @param end the window's end, epoch milliseconds, exclusive
 * @param readings how many readings the window holds
 * @param average their average temperature in degrees Celsius
 */
public record WindowAverage(String sensor, long start, long end, long readings, double average) {
  /** Reads and writes window averages as {@code sensor,start,end,readings,average}. */
  public static final Serde<WindowAverage> SERDE =
      TextSerde.of(WindowAverage::toText, WindowAverage::parse);

  /**
   * Formats this result as {@code sensor,start,end,readings,average}.
   *
   * @return the text
   */
  public String toText() {
    return sensor + "," + start + "," + end + "," + readings + "," + average;
  }

  /**
   * Parses {@code sensor,start,end,readings,average}.
   *
   * @param text the text
   * @return the result
   * @throws IllegalArgumentException when the text is malformed
   */
  public static WindowAverage parse(String text) {
    String[] f = text.split(",", -1);
    if (f.length != 5) {
      throw new IllegalArgumentException("Not a window average: " + text);
    }
    return new WindowAverage(
        f[0],
        Long.parseLong(f[1]),
        Long.parseLong(f[2]),
        Long.parseLong(f[3]),
        Double.parseDouble(f[4]));
  }
}
