package dev.weir.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A child JVM's milestones as {@code key=value} lines, rewritten atomically (temporary file and
 * rename) so the parent never reads half a file.
 */
final class StatusFile {
  private final Path path;
  private final Map<String, String> values = new LinkedHashMap<>();

  StatusFile(Path path) {
    this.path = path;
  }

  synchronized void put(String key, Object value) {
    values.put(key, String.valueOf(value));
    StringBuilder sb = new StringBuilder();
    values.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    try {
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, sb);
      Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing status " + path, e);
    }
  }

  /** Reads a status file; empty when it does not exist yet. */
  static Map<String, String> read(Path path) {
    Map<String, String> m = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(path)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          m.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
    } catch (NoSuchFileException e) {
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException("Reading status " + path, e);
    }
    return m;
  }
}
