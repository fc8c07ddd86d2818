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

  /**
   * CPU time (user plus system, nanoseconds) of a HotSpot JVM's JIT compiler threads ({@code C1
   * CompilerThread*}, {@code C2 CompilerThread*}), or -1 when unknown. A compiler thread that
   * exited (HotSpot stops idle ones beyond the first of each kind) takes its time with it, so this
   * is a lower bound; on 2 cores HotSpot starts one of each and keeps them.
   */
  public static long jitCpuNanos(long pid) {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      long ticks = 0;
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException gone) {
          continue; // the thread exited while listed
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
      return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** This JVM's JIT compiler threads' CPU time in nanoseconds ({@link #jitCpuNanos}). */
  static long ownJitCpuNanos() {
    return jitCpuNanos(ProcessHandle.current().pid());
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
