package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.task.TaskId;
import dev.weir.store.StateBackend;
import dev.weir.store.TaskStateStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the stream threads of one instance share about local copies of task state: how recent each
 * copy on disk is (the changelog offset sums the threads report to the assignor, whichever thread
 * last held the task), and which thread holds which standby open, so that a thread that becomes the
 * task's active owner waits until the standby's thread let go of it. Thread-safe.
 */
final class InstanceReplicas {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceReplicas.class);

  private final Map<TaskId, Long> offsetSums = new ConcurrentHashMap<>();
  private final Map<TaskId, String> standbyHolders = new HashMap<>(); // guarded by this

  /**
   * Reads the committed offset sum of every task with local state, opening each for a moment; a
   * task that fails to open is left out (the assignor then takes it for absent).
   *
   * @param backend the instance's state backend, or null without persistent state
   * @param tasks the tasks with local state
   * @return the registry; never null
   */
  static InstanceReplicas scan(StateBackend backend, Set<TaskId> tasks) {
    InstanceReplicas r = new InstanceReplicas();
    if (backend == null) {
      return r;
    }
    for (TaskId t : tasks) {
      try (TaskStateStore s = backend.open(t.toString(), List.of())) {
        long sum = 0;
        for (long o : s.committedOffsets().values()) {
          sum += o;
        }
        r.offsetSums.put(t, sum);
      } catch (RuntimeException e) {
        LOG.warn("Reading the changelog offsets of local task state {} failed; ignored", t, e);
      }
    }
    return r;
  }

  /** Records how far the local copy of {@code task} reached; negative values are ignored. */
  void recordOffsetSum(TaskId task, long sum) {
    if (sum >= 0) {
      offsetSums.put(task, sum);
    }
  }

  /** The local copy of {@code task} was deleted. */
  void forget(TaskId task) {
    offsetSums.remove(task);
  }

  /** Task to the offset sum of its local copy, for every task with one; a new map. */
  Map<TaskId, Long> offsetSums() {
    return new HashMap<>(offsetSums);
  }

  /** Whether another thread holds {@code task} as a standby; else records {@code thread} does. */
  synchronized boolean tryHoldStandby(TaskId task, String thread) {
    String holder = standbyHolders.get(task);
    if (holder != null && !holder.equals(thread)) {
      return false;
    }
    standbyHolders.put(task, thread);
    return true;
  }

  /** {@code thread} closed its standby of {@code task}. */
  synchronized void releaseStandby(TaskId task, String thread) {
    if (thread.equals(standbyHolders.get(task))) {
      standbyHolders.remove(task);
      notifyAll();
    }
  }

  /**
   * Waits until no other thread holds {@code task} as a standby. Within one rebalance the threads
   * of an instance learn their new assignments at about the same time, and each drops the standbys
   * it lost before it opens its new actives, so the wait ends within a poll of the other thread.
   *
   * @throws WeirException when {@code max} passes first
   */
  synchronized void awaitStandbyReleased(TaskId task, String thread, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      String holder = standbyHolders.get(task);
      if (holder == null || holder.equals(thread)) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new WeirException(
            thread
                + ": task "
                + task
                + " became active here but stream thread "
                + holder
                + " still holds its standby after "
                + max.toSeconds()
                + " s; that thread is stuck (see its log)");
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new org.apache.kafka.common.errors.InterruptException(e);
      }
    }
  }
}
