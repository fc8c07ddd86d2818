package dev.weir.perf;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * W9: one result per (key, window), equal to the expected {@code count,sum,orderHash}; results of
 * the flush keys (whose windows never close) are ignored.
 */
final class W9Checker extends OutputChecker.Base {
  private final W9Data data;
  private final Set<String> seenWindows = new HashSet<>();

  W9Checker(W9Data data) {
    this.data = data;
  }

  @Override
  public long accept(byte[] key, byte[] value) {
    String k = key == null ? "" : new String(key, StandardCharsets.UTF_8);
    if (k.startsWith("f")) {
      return NOT_A_PROBE;
    }
    String want = data.expected(k);
    String got = value == null ? null : new String(value, StandardCharsets.UTF_8);
    if (want == null) {
      wrong("unexpected window " + k + "=" + got);
    } else if (!seenWindows.add(k)) {
      duplicates++;
    } else {
      seen++;
      if (!want.equals(got)) {
        wrong(k + "=" + got + ", expected " + want);
      }
    }
    return NOT_A_PROBE;
  }

  @Override
  public long expected() {
    return data.windows();
  }
}
