package dev.weir.examples.demo;

import dev.weir.examples.TextSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * A sensor's temperature rose reading after reading from {@code fromCelsius} at {@code from} to
 * {@code toCelsius} at {@code to} (event times). On a topic it is the text {@code
 * sensor,from,to,fromCelsius,toCelsius}.
 *
 * @param sensor the sensor's id
 * @param from when the rise began, epoch milliseconds
 * @param to the reading that completed the rise, epoch milliseconds
 * @param fromCelsius the temperature at {@code from}
 * @param toCelsius the temperature at {@code to}
 */
public record RiseAlert(String sensor, long from, long to, double fromCelsius, double toCelsius) {
  /** Reads and writes alerts as {@code sensor,from,to,fromCelsius,toCelsius}. */
  public static final Serde<RiseAlert> SERDE = TextSerde.of(RiseAlert::toText, RiseAlert::parse);

  /**
   * Formats this alert.
   *
   * @return {@code sensor,from,to,fromCelsius,toCelsius}
   */
  public String toText() {
    return sensor + "," + from + "," + to + "," + fromCelsius + "," + toCelsius;
  }

  /**
   * Parses {@code sensor,from,to,fromCelsius,toCelsius}.
   *
   * @param text the text
   * @return the alert
   * @throws IllegalArgumentException when the text is malformed
   */
  public static RiseAlert parse(String text) {
    String[] f = text.split(",", -1);
    if (f.length != 5) {
      throw new IllegalArgumentException("Not an alert: " + text);
    }
    return new RiseAlert(
        f[0],
        Long.parseLong(f[1]),
        Long.parseLong(f[2]),
        Double.parseDouble(f[3]),
        Double.parseDouble(f[4]));
  }
}
