package dev.weir.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Child side of the "never outlive the parent" protocol used by {@code JavaProcess}.
 *
 * <p>The parent starts the child with {@link #PARENT_PID_PROPERTY} set and keeps the write end of
 * the child's stdin pipe open for the child's whole life. The operating system closes that pipe
 * when the parent dies for any reason, including {@code kill -9}, so the child reads end-of-file on
 * stdin and halts. A second thread polls the parent process as a backup (for example when something
 * in the child consumed stdin). Halting skips shutdown hooks on purpose: a child whose parent is
 * gone has nobody to report to, and a graceful shutdown of a broker can take seconds.
 */
public final class ParentWatch {

  /** System property carrying the pid of the launching JVM; its presence enables the watch. */
  public static final String PARENT_PID_PROPERTY = "weir.testkit.parent.pid";

  /** Exit status used when the child halts because its parent died. */
  public static final int PARENT_DIED_EXIT_CODE = 86;

  private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private ParentWatch() {}

  /**
   * Starts the watch once per JVM, if this JVM was launched by {@code JavaProcess}.
   *
   * @param lastWords runs (best effort, exceptions swallowed after being printed) right before the
   *     halt; must be quick and must not block
   * @return true if the watch runs (now or from an earlier call), false if this JVM was not
   *     launched with {@link #PARENT_PID_PROPERTY}
   */
  public static boolean start(Runnable lastWords) {
    String parent = System.getProperty(PARENT_PID_PROPERTY);
    if (parent == null || parent.isBlank()) {
      return false;
    }
    long parentPid = Long.parseLong(parent.trim());
    if (!STARTED.compareAndSet(false, true)) {
      return true;
    }
    Runnable die =
        () -> {
          try {
            lastWords.run();
          } catch (RuntimeException e) {
            e.printStackTrace(System.err);
          }
          System.err.println("weir: parent process " + parentPid + " is gone; halting");
          System.err.flush();
          Runtime.getRuntime().halt(PARENT_DIED_EXIT_CODE);
        };
    daemon("weir-parent-stdin-watch", () -> watchStdin(System.in, die)).start();
    long directParent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
    daemon("weir-parent-poll-watch", () -> pollParent(parentPid, directParent, die)).start();
    return true;
  }

  private static void watchStdin(InputStream in, Runnable die) {
    byte[] buffer = new byte[256];
    try {
      while (in.read(buffer) >= 0) {
        // The parent never writes; any bytes are ignored. Only end-of-file matters.
      }
    } catch (IOException e) {
      System.err.println("weir: reading stdin failed (" + e + "); treating the parent as gone");
    }
    die.run();
  }

  private static void pollParent(long parentPid, long directParent, Runnable die) {
    while (parentAlive(parentPid, directParent)) {
      try {
        Thread.sleep(POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    die.run();
  }

  /**
   * The parent is alive while its pid still names a live process and this process was not
   * re-parented since the watch started (a changed parent pid means the original parent died, even
   * if its pid got reused since).
   */
  static boolean parentAlive(long parentPid, long directParent) {
    Optional<ProcessHandle> current = ProcessHandle.current().parent();
    if (directParent > 0 && current.map(ProcessHandle::pid).orElse(-1L) != directParent) {
      return false;
    }
    return ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }
}
