package dev.weir.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak resident memory of another process, from Linux's {@code /proc}. Elsewhere the
 * values are unknown (-1) and the report says n/a.
 */
public final class ProcStats {
  /** USER_HZ, the unit of {@code /proc/<pid>/stat} times; 100 on every mainstream Linux build. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcStats() {}

  /** User plus system CPU time of a process in nanoseconds, or -1 when unknown. */
  public static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** This JVM's own CPU time (all threads, user and system) in nanoseconds. */
  static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Peak resident set size (VmHWM) in bytes, or -1 when unknown. */
  static long peakRssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          String kb = line.substring(6).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
