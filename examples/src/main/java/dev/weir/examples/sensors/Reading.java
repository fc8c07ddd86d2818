package dev.weir.examples.sensors;

import dev.weir.examples.TextSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * A temperature reading: which sensor, when it was measured (event time, epoch milliseconds), and
 * the temperature in degrees Celsius with one decimal. On a topic it is the text {@code
 * sensor,timestamp,celsius}, e.g. {@code sensor-07,1767225600100,21.5}.
 *
 * @param sensor the sensor's id
 * @param timestamp when the reading was measured, epoch milliseconds
 * @param celsius the temperature
 */
public record Reading(String sensor, long timestamp, double celsius) {
  /** Reads and writes readings as {@code sensor,timestamp,celsius}. */
  public static final Serde<Reading> SERDE = TextSerde.of(Reading::toText, Reading::parse);

  /**
   * Formats this reading as {@code sensor,timestamp,celsius}.
   *
   * @return the text
   */
  public String toText() {
    return sensor + "," + timestamp + "," + celsius;
  }

  /**
   * Parses {@code sensor,timestamp,celsius}.
   *
   * @param text the text
   * @return the reading
   * @throws IllegalArgumentException when the text is not a reading
   */
  public static Reading parse(String text) {
    String[] f = text.split(",", -1);
    if (f.length != 3 || f[0].isEmpty()) {
      throw new IllegalArgumentException("Not a reading (sensor,timestamp,celsius): " + text);
    }
    return new Reading(f[0], Long.parseLong(f[1]), Double.parseDouble(f[2]));
  }

  /**
   * Returns the temperature in tenths of a degree, exact for readings with one decimal.
   *
   * @return the temperature times ten, rounded
   */
  public long tenths() {
    return Math.round(celsius * 10);
  }
}
