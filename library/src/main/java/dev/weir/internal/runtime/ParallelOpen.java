package dev.weir.internal.runtime;

import dev.weir.store.TaskStateStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Opens the states of several tasks at once (design record 025). Opening a task's RocksDB instance
 * creates or reads its files and syncs them; one after the other, a thread's eight new tasks took
 * about 0.3 s of a restart on the benchmark machine, most of it waiting for the disk. The calling
 * thread opens states too, with up to {@link #MAX_PARALLELISM} - 1 short-lived helper threads.
 */
final class ParallelOpen {
  /** At most this many states are opened at the same time. */
  static final int MAX_PARALLELISM = 4;

  private ParallelOpen() {}

  /**
   * Opens {@code count} states, state {@code i} by {@code open.apply(i)}, on the calling thread and
   * helper threads named {@code <name>-open-<n>}.
   *
   * @param count how many states
   * @param open opens state {@code i}; called once per index, possibly on several threads at once
   * @param name the calling thread's name, for the helpers'
   * @return the states, state {@code i} at index {@code i}
   * @throws RuntimeException the first failure of {@code open} (others suppressed in it), after
   *     every state that did open was closed again; no open starts once a failure is seen
   */
  static List<TaskStateStore> openAll(int count, IntFunction<TaskStateStore> open, String name) {
    TaskStateStore[] out = new TaskStateStore[count];
    if (count == 0) {
      return List.of();
    }
    AtomicInteger next = new AtomicInteger();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    Runnable worker =
        () -> {
          int i;
          while (failures.isEmpty() && (i = next.getAndIncrement()) < count) {
            try {
              out[i] = open.apply(i);
            } catch (RuntimeException | Error e) {
              failures.add(e);
            }
          }
        };
    List<Thread> helpers = new ArrayList<>();
    for (int h = 1; h < Math.min(count, MAX_PARALLELISM); h++) {
      Thread t = new Thread(worker, name + "-open-" + h);
      t.setDaemon(true);
      helpers.add(t);
      t.start();
    }
    worker.run();
    joinAll(helpers); // after this, every helper's writes to `out` and `failures` are visible
    if (failures.isEmpty()) {
      return Arrays.asList(out);
    }
    Throwable first = failures.get(0);
    for (Throwable other : failures.subList(1, failures.size())) {
      first.addSuppressed(other);
    }
    for (TaskStateStore s : out) {
      if (s != null) {
        try {
          s.close();
        } catch (RuntimeException | Error again) {
          first.addSuppressed(again);
        }
      }
    }
    if (first instanceof Error e) {
      throw e;
    }
    throw (RuntimeException) first;
  }

  /** Waits for every helper; an interrupt is kept for the caller but does not stop the wait. */
  private static void joinAll(List<Thread> helpers) {
    boolean interrupted = false;
    for (Thread t : helpers) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
