package dev.weir.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads what child JVMs print, for tests. */
final class ChildLogs {

  private ChildLogs() {}

  /**
   * Waits until a line starting with {@code prefix} appears in the log and returns the rest of it.
   */
  static String awaitValue(JavaProcess child, String prefix, Duration timeout) {
    return await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .failFast("child exited: " + child, () -> !child.isAlive())
        .until(() -> valueOf(child.logFile(), prefix), Optional::isPresent)
        .orElseThrow();
  }

  /** Parses a comma-separated list of pids. */
  static List<Long> pids(String value) {
    return Arrays.stream(value.split(",")).map(Long::parseLong).collect(Collectors.toList());
  }

  static boolean contains(Path log, String text) {
    try {
      return read(log).contains(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> valueOf(Path log, String prefix) throws IOException {
    return read(log)
        .lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()).trim())
        .findFirst();
  }

  /** The whole log; malformed bytes become replacement characters instead of failing. */
  private static String read(Path log) throws IOException {
    return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
  }

  /** True while a process with this pid runs. */
  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Kills leftovers after a failed test, so a failure does not leak processes. */
  static void killIfAlive(List<Long> pids) {
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}
