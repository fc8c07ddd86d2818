package dev.weir.internal.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weir.store.ChangelogRestorer;
import dev.weir.store.KeyValueEntry;
import dev.weir.store.KeyValueIterator;
import dev.weir.store.KeyValueStore;
import dev.weir.store.RocksDbSettings;
import dev.weir.store.StateBackend;
import dev.weir.store.StateBackends;
import dev.weir.store.TaskStateStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Replays an in-test changelog through the runtime's real restore ({@link ChangelogRestorer}, in
 * batches or by bulk load) with Kafka's {@code MockConsumer}, and models what log compaction leaves
 * of it.
 */
final class ChangelogReplay {
  private ChangelogReplay() {}

  /**
   * Restores {@code log[local offset, end)} into {@code base}: record {@code i} is at offset i, a
   * null element is a gap (compacted away).
   *
   * @param bulkThreshold the restorer's bulk-load threshold: 0 ingests files, -1 writes batches
   */
  static void restore(
      TaskStateStore base, String store, String topic, List<byte[][]> log, long bulkThreshold) {
    TopicPartition tp = new TopicPartition(topic, 0);
    MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    consumer.updateBeginningOffsets(Map.of(tp, 0L));
    consumer.updateEndOffsets(Map.of(tp, (long) log.size()));
    consumer.schedulePollTask(
        () -> {
          for (int i = 0; i < log.size(); i++) {
            if (log.get(i) != null) {
              consumer.addRecord(new ConsumerRecord<>(topic, 0, i, log.get(i)[0], log.get(i)[1]));
            }
          }
        });
    // Past trailing gaps, as a real consumer's position moves past compacted offsets.
    consumer.schedulePollTask(() -> consumer.seek(tp, log.size()));
    ChangelogRestorer.create()
        .withBatchSize(3)
        .withBulkLoadThreshold(bulkThreshold)
        .restore(consumer, base, Map.of(store, tp));
  }

  /**
   * Restores {@code log} in two steps into a fresh RocksDB store in {@code dir}: up to {@code
   * tailFrom}, then (reopened, from the stored offset) the tail; returns the store's contents.
   */
  static Map<String, String> restoreInTwoSteps(
      Path dir, String store, String topic, List<byte[][]> log, int tailFrom, long bulkThreshold) {
    StateBackend backend =
        StateBackends.rocksDb(
            RocksDbSettings.of(dir).withBatchesStoredWhole(TaskState.BATCHES_STORED_WHOLE));
    try {
      try (TaskStateStore base = backend.open("0_0", List.of(store))) {
        restore(base, store, topic, log.subList(0, tailFrom), bulkThreshold);
      }
      try (TaskStateStore base = backend.open("0_0", List.of(store))) {
        assertThat(base.committedOffsets()).containsEntry(topic + "-0", (long) tailFrom);
        restore(base, store, topic, log, bulkThreshold);
        return contents(base.store(store));
      }
    } finally {
      backend.close();
    }
  }

  /**
   * What compaction may leave: the last record of each key at its offset, every other one a gap;
   * with {@code dropTombstones} also the tombstones gone (after {@code delete.retention.ms}).
   */
  static List<byte[][]> compacted(List<byte[][]> log, boolean dropTombstones) {
    Map<ByteBuffer, Integer> last = new HashMap<>();
    for (int i = 0; i < log.size(); i++) {
      last.put(ByteBuffer.wrap(log.get(i)[0]), i);
    }
    List<byte[][]> out = new ArrayList<>();
    for (int i = 0; i < log.size(); i++) {
      byte[][] r = log.get(i);
      boolean kept = last.get(ByteBuffer.wrap(r[0])) == i && !(dropTombstones && r[1] == null);
      out.add(kept ? r : null);
    }
    return out;
  }

  /** Every key and value of a store, in hex, in key order. */
  static Map<String, String> contents(KeyValueStore store) {
    Map<String, String> all = new TreeMap<>();
    try (KeyValueIterator it = store.all()) {
      while (it.hasNext()) {
        KeyValueEntry e = it.next();
        all.put(HexFormat.of().formatHex(e.key()), HexFormat.of().formatHex(e.value()));
      }
    }
    return all;
  }
}
