package dev.weir.perf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings an environment variable adds to a contender's configuration for experiments ({@code
 * PERF_WEIR_CONFIG}, {@code PERF_FLINK_CONFIG}): {@code key=value} pairs separated by {@code ;}.
 * Free of Weir's and Flink's classes, so that both contender JVMs can load it.
 */
final class ExtraSettings {
  private ExtraSettings() {}

  /**
   * Parses {@code k=v;k=v}, trimming keys and values.
   *
   * @param variable the environment variable's name, for the error message
   * @param spec its value; null or blank gives nothing
   * @return the pairs in their given order
   * @throws IllegalArgumentException for a pair without {@code =} or without a key
   */
  static Map<String, String> parse(String variable, String spec) {
    Map<String, String> m = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return m;
    }
    for (String pair : spec.split(";")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            variable + " needs key=value pairs separated by ';', got '" + pair + "'");
      }
      m.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return m;
  }
}
