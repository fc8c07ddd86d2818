package dev.weir.store.internal;

import dev.weir.store.StateBackend;
import dev.weir.store.TaskStateStore;
import java.util.Collection;
import java.util.Set;
import java.util.function.Predicate;

/** Heap backend: no shared resources, nothing persisted. */
final class InMemoryBackend implements StateBackend {
  private final OpenTasks tasks = new OpenTasks("in-memory");
  private final Predicate<byte[]> batchesStoredWhole;

  InMemoryBackend(Predicate<byte[]> batchesStoredWhole) {
    this.batchesStoredWhole = batchesStoredWhole;
  }

  @Override
  public TaskStateStore open(String taskId, Collection<String> storeNames) {
    Names.checkTaskId(taskId);
    Set<String> names = Names.checkStoreNames(taskId, storeNames);
    tasks.reserve(taskId);
    InMemoryTaskStateStore state =
        new InMemoryTaskStateStore(taskId, names, tasks, batchesStoredWhole);
    tasks.opened(taskId, state);
    return state;
  }

  @Override
  public void deleteState(String taskId) {
    Names.checkTaskId(taskId);
    tasks.checkNotOpen(taskId);
  }

  @Override
  public Set<String> storedTasks() {
    return Set.of();
  }

  /** Nothing to delete: a closed task's state is gone already. Validates like the others. */
  @Override
  public boolean deleteUnusedState(String taskId, long unusedSinceMs) {
    Names.checkTaskId(taskId);
    if (tasks.beginDelete(taskId)) {
      tasks.endDelete(taskId);
    }
    return false;
  }

  @Override
  public void close() {
    tasks.closeAll();
  }

  @Override
  public String toString() {
    return "InMemoryBackend";
  }
}
