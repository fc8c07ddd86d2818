package dev.weir.testkit.internal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Reads the end of a (possibly large, possibly growing) log file without reading all of it. */
public final class LogTail {

  private static final int CHUNK = 16 * 1024;

  private LogTail() {}

  /**
   * Returns the last lines of a file.
   *
   * @param file the file; a missing file yields an empty list
   * @param lines maximum number of lines, at least 1
   * @return up to {@code lines} complete lines, oldest first
   * @throws IOException when the file cannot be read
   */
  public static List<String> lastLines(Path file, int lines) throws IOException {
    if (lines < 1) {
      throw new IllegalArgumentException("lines must be positive: " + lines);
    }
    if (!Files.exists(file)) {
      return List.of();
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long end = in.length();
      long start = end;
      byte[] bytes = new byte[0];
      while (start > 0 && countNewlines(bytes) <= lines) {
        int step = (int) Math.min(CHUNK, start);
        start -= step;
        byte[] merged = new byte[bytes.length + step];
        in.seek(start);
        in.readFully(merged, 0, step);
        System.arraycopy(bytes, 0, merged, step, bytes.length);
        bytes = merged;
      }
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\\R", -1);
      Deque<String> kept = new ArrayDeque<>(lines);
      int last = all.length;
      if (last > 0 && all[last - 1].isEmpty()) {
        last--;
      }
      int first = start > 0 ? 1 : 0; // the first piece may be a partial line
      for (int i = Math.max(first, last - lines); i < last; i++) {
        kept.addLast(all[i]);
      }
      return List.copyOf(kept);
    }
  }

  /**
   * Formats the tail of a file for an exception message.
   *
   * @param file the file
   * @param lines maximum number of lines
   * @return a header naming the file, then the lines; never throws
   */
  public static String describe(Path file, int lines) {
    StringBuilder text = new StringBuilder();
    text.append("--- last ").append(lines).append(" lines of ").append(file).append(" ---");
    try {
      for (String line : lastLines(file, lines)) {
        text.append(System.lineSeparator()).append(line);
      }
    } catch (IOException e) {
      text.append(System.lineSeparator()).append("(could not read the log: ").append(e).append(')');
    }
    return text.toString();
  }

  private static int countNewlines(byte[] bytes) {
    int count = 0;
    for (byte b : bytes) {
      if (b == '\n') {
        count++;
      }
    }
    return count;
  }
}
