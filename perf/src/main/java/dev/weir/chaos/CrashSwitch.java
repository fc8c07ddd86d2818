package dev.weir.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

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

  private final Path file;

  /**
   * Watches a control file.
   *
   * @param file the file the driver writes a point name into; its directory must exist
   */
  public CrashSwitch(Path file) {
    this.file = file;
  }

  /** Arms the switch (driver side): the instance halts the next time it reaches {@code point}. */
  public void arm(Point point) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, point.name(), StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Disarms the switch (driver side); true if it was still armed. */
  public boolean disarm() throws IOException {
    return Files.deleteIfExists(file);
  }

  /** Instance side: halts the JVM if the switch is armed for {@code point}. */
  void reached(Point point, String where) {
    if (!Files.exists(file)) {
      return;
    }
    String armed;
    try {
      armed = Files.readString(file, StandardCharsets.UTF_8).trim().toUpperCase(Locale.ROOT);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (!armed.equals(point.name())) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.out.println("CHAOS-CRASH " + point + " in " + where);
    System.out.flush();
    Runtime.getRuntime().halt(EXIT_STATUS);
  }
}
