package dev.weir.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Lets the chaos driver crash an instance at a chosen point of its commit path: the driver writes
 * the name of a {@link Point} into a control file; the instance's producer checks the file when it
 * reaches a point and, when it names that point, deletes it and halts the JVM at once ({@code
 * Runtime.halt}: no shutdown hooks, no flush, the same as {@code kill -9} as far as Kafka can
 * tell).
 *
 * <p>A file check costs microseconds and happens a few times per commit, so it is always on.
 */
public final class CrashSwitch {
  /** Exit status of a JVM halted by a crash switch, so the driver can tell it from a failure. */
  public static final int EXIT_STATUS = 86;

  /** Where on the commit path the instance halts. */
  public enum Point {
    /** Exactly-once: outputs sent in the open transaction, offsets not yet added. */
    BEFORE_OFFSETS,
    /** Exactly-once: outputs and offsets in the open transaction, commit not yet called. */
    BEFORE_COMMIT,
    /** Exactly-once: the transaction committed, Weir has not yet learned it did. */
    AFTER_COMMIT,
    /** At-least-once: outputs acknowledged by the brokers, input offsets not yet committed. */
    AFTER_FLUSH;

    /** The points a run with the given guarantee passes through. */
    static Point[] forGuarantee(boolean exactlyOnce) {
      return exactlyOnce
          ? new Point[] {BEFORE_OFFSETS, BEFORE_COMMIT, AFTER_COMMIT}
          : new Point[] {AFTER_FLUSH};
    }
  }

  /** What the instance does at the armed point. */
  public enum Action {
    /** Halts the JVM at once ({@code Runtime.halt}), as {@code kill -9} would. */
    HALT,
    /**
     * Freezes the whole JVM (it sends itself SIGSTOP) once the open transaction holds state
     * changes; the driver resumes it with SIGCONT. A zombie whose transaction already holds its
     * input offsets: KIP-447 lets it commit when it wakes up, even after the group moved on.
     */
    FREEZE
  }

  private final Path file;

  /**
   * Watches a control file.
   *
   * @param file the file the driver writes into; its directory must exist
   */
  public CrashSwitch(Path file) {
    this.file = file;
  }

  /** Arms the switch (driver side): the instance halts the next time it reaches {@code point}. */
  public void arm(Point point) throws IOException {
    arm(Action.HALT, point);
  }

  /** Arms the switch (driver side) for {@code action} at {@code point}. */
  public void arm(Action action, Point point) throws IOException {
    Files.deleteIfExists(frozenMarker());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, action + " " + point, StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Disarms the switch (driver side); true if it was still armed. */
  public boolean disarm() throws IOException {
    return Files.deleteIfExists(file);
  }

  /** The file a frozen instance writes just before it stops itself. */
  public Path frozenMarker() {
    return file.resolveSibling(file.getFileName() + ".frozen");
  }

  /**
   * Instance side: acts if the switch is armed for {@code point}.
   *
   * @param point where the caller is
   * @param where names the caller in the log
   * @param statePending whether the open transaction holds changelog records (a freeze waits for
   *     them)
   */
  void reached(Point point, String where, boolean statePending) {
    if (!Files.exists(file)) {
      return;
    }
    String[] armed;
    try {
      armed = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (armed.length != 2 || !armed[1].equals(point.name())) {
      return;
    }
    Action action = Action.valueOf(armed[0]);
    if (action == Action.FREEZE && !statePending) {
      return;
    }
    try {
      if (!Files.deleteIfExists(file)) {
        return; // another thread of this instance took it
      }
      if (action == Action.HALT) {
        System.out.println("CHAOS-CRASH " + point + " in " + where);
        System.out.flush();
        Runtime.getRuntime().halt(EXIT_STATUS);
      }
      System.out.println("CHAOS-FREEZE " + point + " in " + where);
      System.out.flush();
      Files.writeString(frozenMarker(), where, StandardCharsets.UTF_8);
      Process stop =
          new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid()))
              .redirectErrorStream(true)
              .start();
      // The JVM stops while waiting here, and goes on from here when the driver resumes it.
      stop.waitFor();
      System.out.println("CHAOS-THAW " + point + " in " + where);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
