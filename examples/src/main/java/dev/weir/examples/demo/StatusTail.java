package dev.weir.examples.demo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Follows an instance's log file and keeps the last status line it printed (see {@link
 * InstanceMain}). Reads only what was appended since the last call. Not thread-safe.
 */
final class StatusTail {
  private final Path log;
  private long position;
  private String partial = "";
  private Map<String, String> last = Map.of();

  StatusTail(Path log) {
    this.log = log;
  }

  /**
   * Reads what was appended and returns the newest status.
   *
   * @return the fields of the newest status line ({@code state}, {@code records-in}, ...), empty
   *     before the first
   */
  Map<String, String> status() {
    if (!Files.exists(log)) {
      return last;
    }
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      if (length <= position) {
        return last;
      }
      byte[] bytes = new byte[(int) Math.min(length - position, 1 << 20)];
      f.seek(position);
      f.readFully(bytes);
      position += bytes.length;
      String text = partial + new String(bytes, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      partial = text.substring(end + 1);
      for (String line : text.substring(0, end + 1).split("\n")) {
        if (line.startsWith(InstanceMain.STATUS + " ")) {
          Map<String, String> fields = new HashMap<>();
          for (String field : line.substring(InstanceMain.STATUS.length() + 1).split(" ")) {
            int eq = field.indexOf('=');
            if (eq > 0) {
              fields.put(field.substring(0, eq), field.substring(eq + 1));
            }
          }
          last = fields;
        }
      }
    } catch (IOException e) {
      // The display only; the next call tries again.
    }
    return last;
  }

  /**
   * Returns a counter of the newest status.
   *
   * @param name the metric's name
   * @return its value, 0 when unknown
   */
  long metric(String name) {
    String v = last.get(name);
    return v == null ? 0 : Long.parseLong(v);
  }
}
