package dev.weir.internal.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the records of repartition partitions below the offsets a thread committed: they were
 * consumed and their effects committed, so nothing can need them again. Asynchronous; a failure
 * only means the records stay until the next attempt. Thread-confined to its stream thread.
 */
final class RepartitionPurger {
  private static final Logger LOG = LoggerFactory.getLogger(RepartitionPurger.class);

  private final String thread;
  private final Set<String> repartitionTopics;
  private final long intervalMs;
  private final Supplier<Admin> admin;
  private final Map<TopicPartition, Long> purgeable = new HashMap<>();
  private long lastPurgeMs;

  RepartitionPurger(
      String thread,
      Set<String> repartitionTopics,
      long intervalMs,
      Supplier<Admin> admin,
      long now) {
    this.thread = thread;
    this.repartitionTopics = Set.copyOf(repartitionTopics);
    this.intervalMs = intervalMs;
    this.admin = admin;
    this.lastPurgeMs = now;
  }

  /** Remembers the repartition offsets of a commit. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, om) -> {
          if (repartitionTopics.contains(tp.topic())) {
            purgeable.put(tp, om.offset());
          }
        });
  }

  /** Purges what was committed since the last purge, once per interval. */
  void maybePurge(long now) {
    if (now - lastPurgeMs < intervalMs) {
      return;
    }
    lastPurgeMs = now;
    if (purgeable.isEmpty()) {
      return;
    }
    Map<TopicPartition, RecordsToDelete> del = new HashMap<>();
    purgeable.forEach((tp, off) -> del.put(tp, RecordsToDelete.beforeOffset(off)));
    purgeable.clear();
    admin
        .get()
        .deleteRecords(del)
        .all()
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                LOG.debug("{}: purging repartition records failed: {}", thread, e.toString());
              }
            });
  }
}
