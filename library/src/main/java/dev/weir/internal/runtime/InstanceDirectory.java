package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * An instance's directory {@code <state.dir>/<application.id>}: locked while the instance runs (two
 * instances must never share local state), and holding the instance id that makes transactional ids
 * stable across restarts, so a restarted instance fences its predecessor's open transaction at once
 * instead of waiting for it to time out.
 */
final class InstanceDirectory implements AutoCloseable {
  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final String instanceId;

  InstanceDirectory(Path stateDir, String applicationId) {
    this.dir = stateDir.resolve(applicationId);
    try {
      Files.createDirectories(dir);
      lockChannel =
          FileChannel.open(
              dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = lockChannel.tryLock();
      if (lock == null) {
        lockChannel.close();
        throw new WeirException(
            "State directory "
                + dir
                + " is in use by another running instance of "
                + applicationId
                + ". Give each instance its own state.dir.");
      }
      Path idFile = dir.resolve("instance.id");
      if (Files.exists(idFile)) {
        instanceId = Files.readString(idFile, StandardCharsets.UTF_8).trim();
      } else {
        instanceId = UUID.randomUUID().toString().substring(0, 8);
        Path tmp = dir.resolve("instance.id.tmp");
        Files.writeString(tmp, instanceId, StandardCharsets.UTF_8);
        Files.move(tmp, idFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (java.nio.channels.OverlappingFileLockException e) {
      throw new WeirException(
          "State directory "
              + dir
              + " is in use by another instance in this JVM. Give each"
              + " instance its own state.dir.",
          e);
    } catch (IOException e) {
      throw new WeirException("Cannot use state directory " + dir + ": " + e, e);
    }
  }

  /**
   * Deletes everything in the directory but the lock and the instance id: the local state of every
   * task. The instance id stays so that the next start still fences this instance's earlier
   * transactional producers at once.
   *
   * @return the number of files and directories deleted
   */
  long deleteLocalState() {
    long[] deleted = {0};
    try (java.util.stream.Stream<Path> children = Files.list(dir)) {
      for (Path child : children.toList()) {
        String name = child.getFileName().toString();
        if (name.equals(".lock") || name.equals("instance.id")) {
          continue;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(child)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
            deleted[0]++;
          }
        }
      }
    } catch (IOException e) {
      throw new WeirException("Deleting the local state in " + dir + " failed: " + e, e);
    }
    return deleted[0];
  }

  String instanceId() {
    return instanceId;
  }

  Path path() {
    return dir;
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(InstanceDirectory.class)
          .warn("Releasing {} failed", dir, e);
    }
  }
}
