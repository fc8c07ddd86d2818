package dev.weir.perf;

import java.time.Duration;

/**
 * Used by the load phase of W4 and W5: waits until the contender's group has committed all of its
 * input.
 */
final class GroupProgress {
  private static final Duration TIMEOUT = Duration.ofMinutes(20);

  private GroupProgress() {}

  /** Puts {@code loaded} (or {@code failed}) into the status once the input is committed. */
  static void reportLoaded(ContenderSpec spec, StatusFile status) {
    try (Topics topics = new Topics(spec.bootstrap())) {
      String in = spec.inputs().get(0);
      long end = topics.endOffsets(in).values().stream().mapToLong(Long::longValue).sum();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (topics.committed(spec.appId(), in) < end) {
        if (System.nanoTime() > deadline) {
          status.put("failed", "load did not finish within " + TIMEOUT.toMinutes() + " minutes");
          return;
        }
        Thread.sleep(200); // polling the group's committed offsets, a remote condition
      }
      status.put("loaded", end);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      status.put("failed", ContenderMain.oneLine(e));
    }
  }
}
