package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * The group leader's lookup of changelog end offsets for lag-aware placement: read-committed, so an
 * open transaction of a dead instance does not count as state a replica still has to read.
 */
final class ChangelogEndOffsets {
  private ChangelogEndOffsets() {}

  /**
   * Lists the read-committed end offsets of {@code partitions}; on the calling (stream) thread.
   *
   * @param admin the instance's admin client
   * @param partitions changelog partitions
   * @param timeout how long to wait for the brokers
   * @return each partition's end offset
   * @throws WeirException when the brokers do not answer in time or refuse
   * @throws InterruptException when the thread is interrupted while waiting
   */
  static Map<TopicPartition, Long> readCommitted(
      Admin admin, Set<TopicPartition> partitions, Duration timeout) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    try {
      Map<TopicPartition, ListOffsetsResultInfo> result =
          admin
              .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> out = new HashMap<>();
      result.forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new WeirException("Listing changelog end offsets failed: " + e, e);
    }
  }
}
