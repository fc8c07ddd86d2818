package dev.weir.store.internal;

import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateStoreException;
import dev.weir.store.TaskStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksDB backend: one instance per task under {@code <stateDir>/<taskId>/rocksdb}, all sharing the
 * native memory budget held by {@link RocksDbTuning}.
 *
 * <p>A task directory's modification time is its last use: set when the task's state is opened and
 * when it is closed (before it is released, so a cleaner can never see a just-closed task as old).
 * It survives restarts, so state left by an earlier run ages from its last use in that run.
 */
final class RocksDbBackend implements StateBackend {
  static final String ROCKSDB_DIRECTORY = "rocksdb";

  private static final Logger LOG = LoggerFactory.getLogger(RocksDbBackend.class);

  private final RocksDbSettings settings;
  private final OpenTasks tasks = new OpenTasks("RocksDB");
  private final RocksDbTuning tuning;

  RocksDbBackend(RocksDbSettings settings) {
    this.settings = settings;
    NativeLibrary.ensureLoaded();
    try {
      Files.createDirectories(settings.stateDirectory());
    } catch (IOException e) {
      throw new StateStoreException(
          "Could not create the state directory " + settings.stateDirectory(), e);
    }
    this.tuning = new RocksDbTuning(settings);
  }

  @Override
  public TaskStateStore open(String taskId, Collection<String> storeNames) {
    Names.checkTaskId(taskId);
    Set<String> names = Names.checkStoreNames(taskId, storeNames);
    tasks.reserve(taskId);
    try {
      Path directory = taskDirectory(taskId).resolve(ROCKSDB_DIRECTORY);
      RocksDbTaskStateStore state =
          RocksDbTaskStateStore.open(taskId, directory, names, tuning, tasks, settings);
      markUsed(taskDirectory(taskId));
      tasks.opened(taskId, state);
      return state;
    } catch (RuntimeException | Error e) {
      // Also for an Error from the user's options setter: a reservation left behind would make
      // every later open of the task, and closing the backend, wait forever.
      tasks.release(taskId);
      throw e;
    }
  }

  @Override
  public void deleteState(String taskId) {
    Names.checkTaskId(taskId);
    if (!tasks.beginDelete(taskId)) {
      throw new IllegalStateException(
          "State of task " + taskId + " is open; close it before deleting it");
    }
    try {
      deleteRecursively(taskDirectory(taskId));
    } finally {
      tasks.endDelete(taskId);
    }
  }

  @Override
  public Set<String> storedTasks() {
    Set<String> ids = new TreeSet<>();
    try (Stream<Path> entries = Files.list(settings.stateDirectory())) {
      for (Path entry : entries.toList()) {
        if (isTaskDirectory(entry)) {
          ids.add(entry.getFileName().toString());
        }
      }
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw new StateStoreException(
          "Could not list the state directory " + settings.stateDirectory(), e);
    }
    return Collections.unmodifiableSet(ids);
  }

  @Override
  public boolean deleteUnusedState(String taskId, long unusedSinceMs) {
    Names.checkTaskId(taskId);
    if (!tasks.beginDelete(taskId)) {
      return false;
    }
    try {
      Path directory = taskDirectory(taskId);
      if (!isTaskDirectory(directory) || lastUsedMs(directory) >= unusedSinceMs) {
        return false;
      }
      deleteRecursively(directory);
      return true;
    } catch (IOException e) {
      throw new StateStoreException("Could not check the task state directory of " + taskId, e);
    } finally {
      tasks.endDelete(taskId);
    }
  }

  /**
   * Whether {@code path} is a task directory of this backend: a real directory (not a link) named
   * like a task, holding nothing but the RocksDB directory (or nothing, if a delete stopped
   * halfway). Anything else under the state directory is never listed or deleted.
   */
  private static boolean isTaskDirectory(Path path) throws IOException {
    if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
        || !Names.isValidTaskId(path.getFileName().toString())) {
      return false;
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.allMatch(
          e ->
              e.getFileName().toString().equals(ROCKSDB_DIRECTORY)
                  && Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS));
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static long lastUsedMs(Path taskDirectory) throws IOException {
    return Files.getLastModifiedTime(taskDirectory, LinkOption.NOFOLLOW_LINKS).toMillis();
  }

  /** Records a use of a task's state (see the class comment); failing is not fatal. */
  static void markUsed(Path taskDirectory) {
    try {
      Files.setLastModifiedTime(taskDirectory, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException e) {
      LOG.warn(
          "Could not record the last use of {}; an unused-state cleaner may delete it early",
          taskDirectory,
          e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path path : deepestFirst) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new StateStoreException("Could not delete the task state directory " + root, e);
    }
  }

  @Override
  public void close() {
    if (tasks.closeAll()) {
      tuning.close();
    }
  }

  Path taskDirectory(String taskId) {
    return settings.stateDirectory().resolve(taskId);
  }

  RocksDbTuning tuning() {
    return tuning;
  }

  @Override
  public String toString() {
    return "RocksDbBackend{" + settings + "}";
  }
}
