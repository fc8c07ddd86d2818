package dev.weir.internal.runtime;

import dev.weir.errors.WeirException;
import dev.weir.internal.config.ConfigKeys;
import dev.weir.internal.task.TaskMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code offset.reset.policy}: where an input partition resumes when its position (a committed
 * offset, or one rewound to) is no longer in the log, because retention or delete-records removed
 * the records there. Applied per partition by the stream thread that owns it; each reset is logged
 * at WARN and counted ({@code offset-resets}), since it skips or repeats input.
 */
final class OffsetResetPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(OffsetResetPolicy.class);

  private final String thread;
  private final String policy;
  private final TaskMetrics metrics;

  OffsetResetPolicy(String thread, String policy, TaskMetrics metrics) {
    this.thread = thread;
    this.policy = policy;
    this.metrics = metrics;
  }

  /**
   * Seeks each partition as the policy says.
   *
   * @param outOfRange partition to the offset that was out of range
   * @throws WeirException under {@code none}, naming the partitions, offsets and the fix
   */
  void reset(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> outOfRange) {
    Map<String, Long> sorted = new TreeMap<>();
    outOfRange.forEach((tp, offset) -> sorted.put(tp.toString(), offset));
    if (ConfigKeys.OFFSET_RESET_NONE.equals(policy)) {
      throw new WeirException(
          thread
              + ": the offsets "
              + sorted
              + " of input partitions are out of range: the records there were deleted"
              + " (retention or delete-records) before this application processed them."
              + " offset.reset.policy=none stops here. Set offset.reset.policy=earliest (resume"
              + " at the oldest record left) or latest (skip to the end), or reset the"
              + " application with dev.weir.tools.ApplicationReset.",
          null);
    }
    List<TopicPartition> partitions = new ArrayList<>(outOfRange.keySet());
    boolean earliest = ConfigKeys.OFFSET_RESET_EARLIEST.equals(policy);
    if (earliest) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
    }
    for (TopicPartition tp : partitions) {
      // position() resolves the seek now, so the log line says where processing resumes.
      long to = consumer.position(tp);
      LOG.warn(
          "{}: offset {} of {} is out of range (records deleted before they were processed);"
              + " offset.reset.policy={} resumes at offset {}{}",
          thread,
          outOfRange.get(tp),
          tp,
          policy,
          to,
          earliest ? ", skipping the deleted records" : ", skipping every record before it");
      metrics.offsetResets.increment();
    }
  }
}
