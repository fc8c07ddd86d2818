package dev.weir.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Deletes an application's local state directory for the reset tool, under the same lock a running
 * instance holds, so state in use is never deleted. The instance id file stays: it keeps the
 * transactional ids of the next start equal to the last ones.
 */
final class LocalState {
  private LocalState() {}

  private static FileLock tryLock(FileChannel ch) throws IOException {
    try {
      return ch.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by an instance in this JVM
    }
  }

  static void delete(Path appDir, boolean dryRun, PrintStream out) {
    if (!Files.isDirectory(appDir)) {
      out.println("  no local state in " + appDir);
      return;
    }
    try (FileChannel ch =
        FileChannel.open(
            appDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = tryLock(ch);
      if (lock == null) {
        throw new ApplicationReset.ResetException(
            "Local state " + appDir + " is in use by a running instance. Stop it first.", null);
      }
      try (lock;
          Stream<Path> children = Files.list(appDir)) {
        for (Path child : children.toList()) {
          String name = child.getFileName().toString();
          if (name.equals(".lock") || name.equals("instance.id")) {
            continue;
          }
          out.println("  delete local state " + child);
          if (!dryRun) {
            try (Stream<Path> walk = Files.walk(child)) {
              List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
              for (Path p : all) {
                Files.delete(p);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new ApplicationReset.ResetException(
          "Deleting local state in " + appDir + " failed: " + e, e);
    }
  }
}
