package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Waits until no transaction is open on a task's changelog partitions before the task restores them
 * (found by the chaos suite, see docs/reliability.md).
 *
 * <p>Why: a restore reads a changelog up to its last stable offset, read once. A previous owner of
 * the task (a zombie that froze after adding its offsets to its transaction, or one whose commit
 * markers are still on their way) can have a transaction open there. KIP-447 makes the new owner
 * wait for that transaction's offsets, and when the transaction then commits, the new owner
 * continues after its input; a restore that stopped below the transaction would miss its state
 * changes for good. Only a task's owner writes its changelog, and the new owner writes nothing
 * before it has restored, so any open transaction ends (commit, or abort at the latest after the
 * transaction timeout) and waiting for it is bounded.
 */
final class OpenTransactions {
  private static final long RETRY_MS = 50;

  private OpenTransactions() {}

  /**
   * Returns once every partition's last stable offset equals its high watermark.
   *
   * @param admin the admin client
   * @param partitions the changelog partitions
   * @param timeout the longest wait, beyond the transaction timeout of any previous owner
   * @param clock measures the wait
   * @throws WeirException naming the partitions still open after {@code timeout}
   * @throws InterruptException when the thread is interrupted
   */
  static void awaitNone(
      Admin admin, Collection<TopicPartition> partitions, Duration timeout, RuntimeClock clock) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    long deadline = clock.nanos() + timeout.toNanos();
    Object last = null;
    while (true) {
      try {
        Map<TopicPartition, Long> stable = ends(admin, latest, IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> all = ends(admin, latest, IsolationLevel.READ_UNCOMMITTED);
        if (stable.equals(all)) {
          return;
        }
        last = "last stable offsets " + stable + ", high watermarks " + all;
      } catch (ExecutionException e) {
        last = e.getCause();
      }
      if (clock.nanos() > deadline) {
        throw new WeirException(
            "A transaction is still open on changelog partitions "
                + partitions
                + " after "
                + timeout
                + " ("
                + last
                + "); the task cannot restore its state consistently. Check the brokers'"
                + " transaction coordinators.");
      }
      try {
        TimeUnit.MILLISECONDS.sleep(RETRY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      }
    }
  }

  private static Map<TopicPartition, Long> ends(
      Admin admin, Map<TopicPartition, OffsetSpec> latest, IsolationLevel isolation)
      throws ExecutionException {
    Map<TopicPartition, Long> out = new HashMap<>();
    try {
      admin
          .listOffsets(latest, new ListOffsetsOptions(isolation))
          .all()
          .get()
          .forEach((tp, info) -> out.put(tp, info.offset()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
    return out;
  }
}
