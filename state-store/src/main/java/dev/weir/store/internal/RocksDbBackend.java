package dev.weir.store.internal;

import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateStoreException;
import dev.weir.store.TaskStateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * RocksDB backend: one instance per task under {@code <stateDir>/<taskId>/rocksdb}, all sharing the
 * native memory budget held by {@link RocksDbTuning}.
 */
final class RocksDbBackend implements StateBackend {
  static final String ROCKSDB_DIRECTORY = "rocksdb";

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
          RocksDbTaskStateStore.open(taskId, directory, names, tuning, tasks);
      tasks.opened(taskId, state);
      return state;
    } catch (RuntimeException e) {
      tasks.release(taskId);
      throw e;
    }
  }

  @Override
  public void deleteState(String taskId) {
    Names.checkTaskId(taskId);
    tasks.reserve(taskId);
    try {
      deleteRecursively(taskDirectory(taskId));
    } finally {
      tasks.release(taskId);
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
