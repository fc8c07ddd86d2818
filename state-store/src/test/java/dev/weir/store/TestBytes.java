package dev.weir.store;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Byte helpers for tests: literal arrays and hex views that give readable assertion failures. */
public final class TestBytes {
  private static final HexFormat HEX = HexFormat.of();

  private TestBytes() {}

  /** Returns a byte array with the given unsigned byte values. */
  public static byte[] bytes(int... values) {
    byte[] result = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (byte) values[i];
    }
    return result;
  }

  public static byte[] unhex(String hex) {
    return HEX.parseHex(hex);
  }

  public static String hex(byte[] bytes) {
    return bytes == null ? null : HEX.formatHex(bytes);
  }

  /** Drains and closes an iterator, returning its keys in hex. */
  public static List<String> keys(KeyValueIterator iterator) {
    List<String> keys = new ArrayList<>();
    try (iterator) {
      iterator.forEachRemaining(entry -> keys.add(hex(entry.key())));
    }
    return keys;
  }

  /** Drains and closes an iterator, returning key to value in hex, in iteration order. */
  public static Map<String, String> entries(KeyValueIterator iterator) {
    Map<String, String> entries = new LinkedHashMap<>();
    try (iterator) {
      iterator.forEachRemaining(entry -> entries.put(hex(entry.key()), hex(entry.value())));
    }
    return entries;
  }
}
