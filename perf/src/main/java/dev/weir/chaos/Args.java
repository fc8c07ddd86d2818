package dev.weir.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line arguments; every option takes exactly one value. */
final class Args {
  private final Map<String, String> values = new LinkedHashMap<>();

  Args(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got '" + a + "'");
      }
      values.put(a.substring(2), args[++i]);
    }
  }

  /** Every option given, by name (without the dashes). */
  Map<String, String> values() {
    return java.util.Collections.unmodifiableMap(values);
  }

  /** The value of a required option. */
  String get(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing --" + name);
    }
    return v;
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  int getInt(String name, int fallback) {
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  long getLong(String name, long fallback) {
    return values.containsKey(name) ? Long.parseLong(values.get(name)) : fallback;
  }

  double getDouble(String name, double fallback) {
    return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
  }

  /** Options given that are not in {@code known}. */
  java.util.Set<String> unknown(java.util.Set<String> known) {
    java.util.Set<String> u = new java.util.TreeSet<>(values.keySet());
    u.removeAll(known);
    return u;
  }
}
