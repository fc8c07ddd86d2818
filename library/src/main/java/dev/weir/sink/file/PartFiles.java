package dev.weir.sink.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names and moves one task's part files. A part's finished name is {@code
 * <bucket>/<prefix>-<subtask>-<n><suffix>}; while in progress it is hidden as {@code
 * .<name>.inprogress}, once ended {@code .<name>.pending}. Every move is an atomic rename followed
 * by an fsync of the directory, and every file is fsynced before it moves, so after a crash a name
 * holds exactly the bytes it was given.
 */
final class PartFiles {
  static final String IN_PROGRESS = ".inprogress";
  static final String PENDING = ".pending";

  private final Path base;
  private final String prefix;
  private final String suffix;
  private final int subtask;
  private final Pattern finished;
  private final Pattern hidden;

  PartFiles(Path base, String prefix, String suffix, int subtask) {
    this.base = base;
    this.prefix = prefix;
    this.suffix = suffix;
    this.subtask = subtask;
    String name = Pattern.quote(prefix + "-" + subtask + "-") + "(\\d+)" + Pattern.quote(suffix);
    this.finished = Pattern.compile(name);
    this.hidden =
        Pattern.compile(
            "\\." + name + "(" + Pattern.quote(IN_PROGRESS) + "|" + Pattern.quote(PENDING) + ")");
  }

  /** The relative path of part {@code n} of {@code bucket}, by its finished name. */
  String path(String bucket, long n) {
    String name = prefix + "-" + subtask + "-" + n + suffix;
    return bucket.isEmpty() ? name : bucket + "/" + name;
  }

  Path finished(String path) {
    return base.resolve(path);
  }

  Path inProgress(String path) {
    return hiddenName(path, IN_PROGRESS);
  }

  Path pending(String path) {
    return hiddenName(path, PENDING);
  }

  private Path hiddenName(String path, String state) {
    Path f = base.resolve(path);
    return f.resolveSibling("." + f.getFileName() + state);
  }

  /** Opens a new in-progress part for writing; creates the bucket directory. */
  FileChannel create(String path) throws IOException {
    Path p = inProgress(path);
    Path dir = p.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      fsyncDirectory(dir.getParent());
    }
    return FileChannel.open(
        p,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  /** Renames {@code from} to {@code to} atomically and makes the rename durable. */
  static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    fsyncDirectory(to.getParent());
  }

  /**
   * Finishes a part that a committed transaction ended or left in progress: cuts it to {@code
   * length} (null keeps it whole) and gives it its finished name. Idempotent: a part already
   * finished is left alone.
   *
   * @throws IOException when neither the part nor its finished file exists: committed data is
   *     missing (deleted by hand, or a second sink writing to the same base path)
   */
  void finish(String path, Long length) throws IOException {
    Path done = finished(path);
    if (Files.exists(done)) {
      return;
    }
    Path from = Files.exists(pending(path)) ? pending(path) : inProgress(path);
    if (!Files.exists(from)) {
      throw new NoSuchFileException(
          from.toString(),
          null,
          "part file "
              + path
              + " of a committed transaction is missing: neither finished, pending nor in progress."
              + " Was it deleted, or does another sink write to "
              + base
              + "?");
    }
    if (length != null) {
      try (FileChannel ch = FileChannel.open(from, StandardOpenOption.WRITE)) {
        if (ch.size() < length) {
          throw new IOException(
              "part file "
                  + from
                  + " holds "
                  + ch.size()
                  + " bytes; its transaction committed "
                  + length);
        }
        ch.truncate(length);
        ch.force(true);
      }
    }
    move(from, done);
  }

  /** The part number of {@code name} if it is one of this task's finished parts, else -1. */
  long finishedNumber(String name) {
    Matcher m = finished.matcher(name);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Whether {@code name} is one of this task's in-progress or pending parts. */
  boolean isUnfinished(String name) {
    return hidden.matcher(name).matches();
  }

  static void fsyncDirectory(Path dir) throws IOException {
    if (dir == null) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open a directory for fsync; the rename is atomic anyway.
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }
}
