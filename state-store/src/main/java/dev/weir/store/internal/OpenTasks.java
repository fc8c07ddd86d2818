package dev.weir.store.internal;

import dev.weir.store.StateStoreException;
import dev.weir.store.TaskStateStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task states a backend has open, and those whose local state is being deleted. Thread-safe:
 * stream threads open and close tasks concurrently, and the state directory cleaner deletes unused
 * ones. A task id is reserved before its state is opened, so two threads can never open the same
 * state; a delete claims the id too, so it never runs under an open, and an open that arrives
 * during a delete waits for it (deletes take milliseconds to seconds) instead of failing.
 */
final class OpenTasks {
  private static final Logger LOG = LoggerFactory.getLogger(OpenTasks.class);

  private final String backendName;
  private final Map<String, TaskStateStore> tasks = new LinkedHashMap<>();
  private final Set<String> deleting = new HashSet<>();
  private boolean closed;

  OpenTasks(String backendName) {
    this.backendName = backendName;
  }

  /**
   * Reserves a task id, after waiting for a delete of its state to finish; the caller must {@link
   * #opened} or {@link #release} it.
   */
  synchronized void reserve(String taskId) {
    awaitNotDeleting(taskId);
    if (closed) {
      throw new IllegalStateException("The " + backendName + " state backend is closed");
    }
    if (tasks.containsKey(taskId)) {
      throw new IllegalStateException(
          "State of task "
              + taskId
              + " is already open in this "
              + backendName
              + " backend; close it before opening it again");
    }
    tasks.put(taskId, null);
  }

  synchronized void opened(String taskId, TaskStateStore state) {
    tasks.put(taskId, state);
    notifyAll();
  }

  synchronized void release(String taskId) {
    tasks.remove(taskId);
    notifyAll();
  }

  /**
   * Claims a task id for deleting its state, after waiting for another delete of it to finish.
   * Returns false, claiming nothing, when the task is open or being opened; otherwise the caller
   * must {@link #endDelete} it.
   */
  synchronized boolean beginDelete(String taskId) {
    awaitNotDeleting(taskId);
    if (closed) {
      throw new IllegalStateException("The " + backendName + " state backend is closed");
    }
    if (tasks.containsKey(taskId)) {
      return false;
    }
    deleting.add(taskId);
    return true;
  }

  synchronized void endDelete(String taskId) {
    deleting.remove(taskId);
    notifyAll();
  }

  private void awaitNotDeleting(String taskId) {
    while (deleting.contains(taskId)) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StateStoreException(
            "Interrupted while waiting for the local state of task " + taskId + " to be deleted",
            e);
      }
    }
  }

  synchronized void checkNotOpen(String taskId) {
    if (tasks.containsKey(taskId)) {
      throw new IllegalStateException(
          "State of task " + taskId + " is open; close it before deleting it");
    }
  }

  /** Marks the registry closed and closes every task still open. Returns true the first time. */
  boolean closeAll() {
    List<TaskStateStore> leaked;
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      awaitReservations();
      leaked = new ArrayList<>(tasks.values());
    }
    for (TaskStateStore state : leaked) {
      if (state != null) {
        LOG.warn(
            "Closing state of task {} that was still open when the {} backend closed",
            state.taskId(),
            backendName);
        state.close();
      }
    }
    return true;
  }

  /** Waits until no open or delete is in progress; such operations take milliseconds. */
  private void awaitReservations() {
    boolean interrupted = false;
    while (tasks.containsValue(null) || !deleting.isEmpty()) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true; // finish waiting: freeing resources under a running open would crash
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
