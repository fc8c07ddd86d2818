package dev.weir.internal.runtime;

import dev.weir.internal.task.TaskId;
import dev.weir.store.StateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the local state of tasks this instance no longer runs once it has been unused for {@code
 * state.cleanup.delay.ms}, so directories of tasks that moved to other instances do not stay on
 * disk forever (Kafka Streams' state directory cleaner, same setting; design record 003).
 *
 * <p>Safety rests on the backend: {@link StateBackend#deleteUnusedState} checks and deletes
 * atomically with respect to opens, so a task that is open or being opened is never touched, and
 * "unused" counts from the task's last open or close. On top of that the cleaner skips tasks any
 * stream thread has assigned or claims for its next assignment (a task may be assigned before its
 * state is opened), and names that are not task ids of this application ({@code
 * <subtopology>_<partition>}). Deleting the state of a task that is about to be assigned costs a
 * full restore, never correctness: the open then starts empty.
 *
 * <p>It runs on its own daemon thread rather than in a stream thread's loop: deleting a large
 * RocksDB directory is seconds of disk work that would stall processing (and could overrun {@code
 * max.poll.interval.ms}), and the work is per instance, not per thread. It checks every delay,
 * first one delay after start, which also lets a restarted instance claim its old tasks back first.
 */
final class StateDirectoryCleaner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StateDirectoryCleaner.class);
  private static final Pattern TASK_ID = Pattern.compile("\\d+_\\d+");

  private final StateBackend backend;
  private final Path directory;
  private final long delayMs;
  private final Supplier<Set<TaskId>> inUse;
  private final LongSupplier clock;
  private final LongAdder cleaned = new LongAdder();
  private ScheduledExecutorService executor;

  /**
   * @param backend the instance's backend
   * @param directory where the backend keeps task state, for log lines
   * @param delayMs {@code state.cleanup.delay.ms}
   * @param inUse tasks assigned to or claimed by the instance's stream threads
   * @param clock wall-clock time in epoch milliseconds
   */
  StateDirectoryCleaner(
      StateBackend backend,
      Path directory,
      long delayMs,
      Supplier<Set<TaskId>> inUse,
      LongSupplier clock) {
    this.backend = backend;
    this.directory = directory;
    this.delayMs = delayMs;
    this.inUse = inUse;
    this.clock = clock;
  }

  /** Starts checking every {@code delayMs} on a daemon thread named {@code threadName}. */
  synchronized void start(String threadName) {
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(this::cleanLogged, delayMs, delayMs, TimeUnit.MILLISECONDS);
  }

  /** Directories deleted so far. */
  long cleaned() {
    return cleaned.sum();
  }

  /**
   * One pass: deletes the state of every task not in use and unused for the delay.
   *
   * @return the ids of the tasks whose state was deleted
   */
  List<String> clean() {
    long unusedSince = clock.getAsLong() - delayMs;
    Set<String> skip = new HashSet<>();
    inUse.get().forEach(id -> skip.add(id.toString()));
    List<String> deleted = new ArrayList<>();
    for (String taskId : backend.storedTasks()) {
      if (!TASK_ID.matcher(taskId).matches() || skip.contains(taskId)) {
        continue;
      }
      if (backend.deleteUnusedState(taskId, unusedSince)) {
        cleaned.increment();
        deleted.add(taskId);
        LOG.info(
            "Deleted the local state of task {} in {}: this instance has not used it for more"
                + " than state.cleanup.delay.ms ({} ms)",
            taskId,
            directory,
            delayMs);
      }
    }
    return deleted;
  }

  private void cleanLogged() {
    try {
      clean();
    } catch (RuntimeException e) {
      // Keep the schedule: a failure (a file that cannot be deleted) may be gone next time.
      LOG.warn(
          "Cleaning up unused task state in {} failed; retrying in {} ms", directory, delayMs, e);
    }
  }

  /** Stops the schedule and waits for a pass in progress; call before closing the backend. */
  @Override
  public synchronized void close() {
    if (executor == null) {
      return;
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Cleaning up unused task state in {} did not stop within 30 s", directory);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor = null;
  }
}
